using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>A delimited text file (CSV, TSV): the format detected unless given, the header named or generated (column_1, …).</summary>
public sealed class CsvSource : RowSource
{
    private readonly string _path;
    private readonly string _name;
    private readonly CsvFormat _format;
    private readonly BadLines _badLines;
    private int _skipped;

    /// <param name="name">How the file is named in records and messages (default: its path).</param>
    public CsvSource(string path, CsvFormat format, BadLines badLines = BadLines.Error, string? name = null)
    {
        _path = path;
        _name = name ?? path;
        _format = format;
        _badLines = badLines;
        using var reader = Open();
        var parser = new CsvParser(reader, format.Delimiter, _name);
        var first = parser.Next() ?? throw TendException.InvalidData($"{_name}: the file is empty; expected a header row and data rows");
        Columns = format.Header
            ? CheckColumns(first, $"{_name}:1")
            : Enumerable.Range(1, first.Length).Select(i => $"column_{i}").ToList();
    }

    public static CsvSource Open(string path, string? delimiter = null, bool? header = null, string? encoding = null, BadLines badLines = BadLines.Error, string? name = null) =>
        new(path, CsvFormat.Detect(path, CsvFormat.ParseEncoding(encoding), delimiter is null ? null : CsvFormat.ParseDelimiter(delimiter), header), badLines, name);

    public override string Description => _name;

    public override IReadOnlyList<string> Columns { get; }

    public override int SkippedLines => _skipped;

    public CsvFormat Format => _format;

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        using var reader = Open();
        var parser = new CsvParser(reader, _format.Delimiter, _name);
        if (_format.Header)
            parser.Next();
        var skipped = 0;
        var count = 0;
        while (parser.Next() is { } record)
        {
            if ((++count & 0xFFFF) == 0)
                ct.ThrowIfCancellationRequested();
            if (record.Length == 1 && record[0] is null && Columns.Count > 1)
                continue; // a blank line
            if (record.Length != Columns.Count)
            {
                if (_badLines == BadLines.Skip)
                {
                    skipped++;
                    continue;
                }
                throw TendException.InvalidData($"{_name}:{parser.Line}: expected {Columns.Count} fields as in the header, found {record.Length}; fix the line or pass --on-bad-lines skip");
            }
            yield return new SourceRow(record, _name, parser.Line);
        }
        _skipped = skipped;
    }

    private StreamReader Open() => new(_path, _format.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}
