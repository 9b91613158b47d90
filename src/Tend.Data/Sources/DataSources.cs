using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Data.Sources;

/// <summary>How to read a file or folder: the options of <c>tend data add</c> (all detected when not given).</summary>
/// <param name="Name">How a single file is named in records and messages (default: its full path), e.g. an upload's file name.</param>
public sealed record ReadOptions(string? Format = null, string? Delimiter = null, bool? Header = null, string? Encoding = null, BadLines BadLines = BadLines.Error, string? Name = null);

/// <summary>Opens a file or a folder as a row source, choosing the reader by the format given or the file's extension.</summary>
public static class DataSources
{
    public static readonly string[] Formats = ["csv", "tsv", "parquet", "jsonl"];

    /// <summary>
    /// A source named under <c>data.sources</c> in tend.yaml: its file or folder (relative to the project folder
    /// <paramref name="root"/>) with its reading options, or its query.
    /// </summary>
    public static RowSource Open(SourceSpec source, string root, BadLines badLines, CancellationToken ct) =>
        source.Feedback ? throw TendException.BadUsage($"source '{source.Name}' is the feedback on served predictions: 'tend data collect' and the pipeline collect it")
        : source.Url is not null ? throw TendException.BadUsage($"source '{source.Name}' is a URL: Tend watches it for change (a 'new_data' trigger, a step's 'sources'); a step's command downloads it")
        : source.Sql is not null
            ? SqlSource.Query(source.Sql, source.Connection!, ct)
            : Open(Path.Combine(root, source.Path!), new ReadOptions(source.Format, source.Delimiter, source.Header, source.Encoding, badLines));

    /// <summary>The source tend.yaml names <paramref name="name"/>, or an error listing the names it has.</summary>
    public static SourceSpec Named(ProjectSpec spec, string name) =>
        spec.DataOrDefault.Sources.FirstOrDefault(x => x.Name == name)
        ?? throw TendException.NotFound($"no source named '{name}' under data.sources in tend.yaml; named: {string.Join(", ", spec.DataOrDefault.Sources.Select(x => x.Name))}");

    public static RowSource Open(string path, ReadOptions options)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path).Where(f => options.Format is not null || FormatOf(f) is not null).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw TendException.InvalidData($"{path}: the folder holds no data files; expected .csv, .tsv, .parquet or .jsonl files");
            return files.Count == 1 ? OpenFile(files[0], options) : new ConcatSource(files.Select(f => OpenFile(f, options)).ToList(), Path.GetFullPath(path));
        }
        if (!File.Exists(path))
            throw TendException.NotFound($"{path}: no such file or folder");
        return OpenFile(path, options);
    }

    private static RowSource OpenFile(string path, ReadOptions options)
    {
        var format = FormatOf(path, options);
        var full = Path.GetFullPath(path);
        return format switch
        {
            "csv" or "tsv" => CsvSource.Open(full, options.Delimiter ?? (format == "tsv" ? "tab" : null), options.Header, options.Encoding, options.BadLines, options.Name),
            "parquet" => new ParquetSource(() => File.OpenRead(full), options.Name ?? full),
            "jsonl" => new JsonLinesSource(full, options.Name),
            _ => throw TendException.BadField("format", $"format '{format}' is not supported; use one of: {string.Join(", ", Formats)}", Formats),
        };
    }

    /// <summary>The format a file is read as: the one given, else by its extension, else CSV.</summary>
    public static string FormatOf(string path, ReadOptions options) => options.Format ?? FormatOf(path) ?? "csv";

    private static string? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" or ".txt" => "csv",
        ".tsv" or ".tab" => "tsv",
        ".parquet" or ".pq" => "parquet",
        ".jsonl" or ".ndjson" => "jsonl",
        _ => null,
    };
}
