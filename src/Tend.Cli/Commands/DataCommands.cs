using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Backends;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Pipelines.Stages;

namespace Tend.Cli.Commands;

internal static class DataCommands
{
    private static readonly Argument<string?> Input = new("path") { Description = "A file (CSV, TSV, Parquet, JSON Lines) or a folder of them", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> Name = new("--name") { Description = "The dataset's name (default: the project's name)" };
    private static readonly Option<string?> Sql = new("--sql") { Description = "A query whose result is the data (with --connection)" };
    private static readonly Option<string?> Connection = new("--connection") { Description = "sqlite:///path.db or postgres://user@host/db" };
    private static readonly Option<string?> Source = new("--source") { Description = "A source named under data.sources in tend.yaml" };
    private static readonly Option<bool> Append = new("--append") { Description = "New version = the newest version plus these rows" };
    private static readonly Option<string?> FileFormat = new("--format") { Description = "csv, tsv, parquet or jsonl (default: by extension)" };
    private static readonly Option<string?> Delimiter = new("--delimiter") { Description = "The field delimiter (default: detected among , tab ; |)" };
    private static readonly Option<bool?> Header = new("--header") { Description = "Whether the first row names the columns (default: detected)" };
    private static readonly Option<string?> Encoding = new("--encoding") { Description = "utf-8 (default, BOM or not), latin-1, ascii, utf-16" };
    private static readonly Option<string> OnBadLines = new("--on-bad-lines") { Description = "error (default) or skip rows whose field count is wrong", DefaultValueFactory = _ => "error" };
    private static readonly Argument<string> Reference = new("dataset") { Description = "NAME or NAME@VERSION (a hash prefix)" };
    private static readonly Argument<string?> OptionalReference = new("dataset") { Description = "NAME or NAME@VERSION (default: the project's dataset)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Argument<string> Other = new("other") { Description = "NAME@VERSION to compare with" };
    private static readonly Option<DateTimeOffset?> Since = new("--since") { Description = "Take the feedback received from this time (ISO-8601; default: where the last collection ended)" };
    private static readonly Option<DateTimeOffset?> Until = new("--until") { Description = "Take the feedback received before this time (default: now)" };

    public static Command Create(CliConsole console)
    {
        var add = new Command("add", "Ingest a file, folder or query as an immutable, content-addressed dataset version (validated and profiled)")
        {
            Input, Name, Sql, Connection, Source, Append, FileFormat, Delimiter, Header, Encoding, OnBadLines,
        }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var addition = Addition(parsed);
            var (ingest, seconds) = await cli.StepAsync($"Ingesting {addition.Description}", () => tend.AddDataAsync(addition, ct));
            return Ingested(cli, ingest, seconds, []);
        });
        var collect = new Command("collect", "The feedback received on served predictions (since the last collection) as a labelled dataset version: the features as served, the label from the feedback")
        {
            Since, Until, Append,
        }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var (collected, seconds) = await cli.StepAsync("Collecting feedback", () =>
                CollectStage.RunAsync(tend.Workspace, parsed.GetValue(Since), parsed.GetValue(Until), parsed.GetValue(Append), ct));
            return Ingested(cli, collected.Ingest, seconds, new() { ["labelled_rows"] = collected.Labelled, ["unlabelled_rows"] = collected.Unlabelled });
        });
        var validate = new Command("validate", "Validate a file against the dataset's schema and newest profile, storing nothing")
        {
            Input, Name, Sql, Connection, Source, FileFormat, Delimiter, Header, Encoding, OnBadLines,
        }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            var (source, _) = Addition(parsed).Open(ws, ct);
            var (result, _) = await cli.StepAsync($"Validating {source.Description}", () =>
                tend.Get<DatasetCatalog>().ValidateAsync(parsed.GetValue(Name) ?? ws.Spec.Name, source, ws.Spec, ct));
            var report = result.Version.Validation!;
            cli.Emit(Validation(report), o =>
            {
                o.MarkupLine((report.Passed ? "[green]passed[/]: " : "[red]failed[/]: ") +
                    Markup.Escape($"{source.Description} against {result.Version.Name}@{result.Version.Parent![..12]} (schema revision {result.Version.Schema.Revision})"));
                Views.Anomalies(o, report);
            });
            return report.Passed ? 0 : ErrorCode.InvalidData.ExitCode();
        });
        var list = new Command("list", "List dataset versions").Team(console, async (_, cli, tend, ct) =>
        {
            var versions = await tend.DatasetsAsync(ct);
            cli.Emit(new { datasets = versions.Select(Summary) }, o => o.Write(Views.Datasets(versions)));
            return 0;
        });
        var show = new Command("show", "Show a dataset version: lineage, profile and validation") { Reference }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var version = await tend.DatasetAsync(parsed.GetValue(Reference)!, ct);
            cli.Emit(version, o => Views.Dataset(o, version));
            return 0;
        });
        var schema = new Command("schema", "Show a dataset version's schema") { OptionalReference }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var version = await tend.DatasetAsync(parsed.GetValue(OptionalReference) ?? (await tend.ProjectAsync(ct)).Name, ct);
            cli.Emit(new { dataset = version.Reference, revision = version.Schema.Revision, columns = version.Schema.Columns }, o => Views.Schema(o, version));
            return 0;
        });
        var diff = new Command("diff", "Compare two versions: schema changes, row counts, and each column's distribution change") { Reference, Other }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var result = await tend.DiffAsync(parsed.GetValue(Reference)!, parsed.GetValue(Other)!, ct);
            cli.Emit(result, o => Views.Diff(o, result));
            return 0;
        });
        return new Command("data", "Ingest, validate, compare and inspect dataset versions; collect served predictions' feedback as data") { add, collect, validate, list, show, schema, diff };
    }

    /// <summary>What the options name to read: a path with its reading options, a query, or a source of tend.yaml.</summary>
    private static DataAddition Addition(ParseResult parsed) =>
        new(parsed.GetValue(Name), parsed.GetValue(Input),
            new ReadOptions(parsed.GetValue(FileFormat), parsed.GetValue(Delimiter), parsed.GetValue(Header), parsed.GetValue(Encoding), BadLinesOption.Parse(parsed.GetValue(OnBadLines))),
            parsed.GetValue(Sql), parsed.GetValue(Connection), parsed.GetValue(Source), parsed.GetValue(Append));

    /// <summary>What an ingest stored, for <c>data add</c> and <c>data collect</c> (<paramref name="more"/>: the command's own fields); exit 3 when validation rejected it.</summary>
    private static int Ingested(CliContext cli, Ingest ingest, double seconds, Dictionary<string, object?> more)
    {
        var v = ingest.Version;
        var document = new Dictionary<string, object?>
        {
            ["dataset"] = v.Name, ["version"] = v.Version, ["rows"] = v.Rows, ["columns"] = v.Columns, ["created"] = ingest.Created, ["rejected"] = ingest.Rejected, ["restored"] = ingest.Restored,
            ["parent"] = v.Parent, ["added_rows"] = v.AddedRows, ["skipped_lines"] = v.SkippedLines, ["created_at"] = v.Created, ["source"] = v.Source, ["schema"] = v.Schema,
            ["validation"] = Validation(v.Validation),
        };
        foreach (var (key, value) in more)
            document[key] = value;
        cli.Emit(document, o =>
        {
            var verdict = ingest.Rejected ? "[red]Rejected, nothing stored:[/]" : ingest.Created ? "Added" : ingest.Restored ? "Already stored, its missing files restored:" : "Already stored:"; // markup, so not a hole of an interpolated markup line, which would escape it
            o.MarkupLine($"{verdict} [bold]{Markup.Escape(v.Reference)}[/] ({v.Rows} rows × {v.Columns} columns, {Format.Seconds(seconds)})");
            o.MarkupLineInterpolated($"from {v.Source}");
            if (v.Parent is { } parent)
                o.MarkupLineInterpolated($"parent {parent[..12]}, {v.AddedRows} rows added");
            if (v.SkippedLines > 0)
                o.MarkupLineInterpolated($"[yellow]{v.SkippedLines} bad lines skipped[/]");
            Views.Anomalies(o, v.Validation);
        });
        return ingest.Rejected ? ErrorCode.InvalidData.ExitCode() : 0;
    }

    private static object Validation(ValidationReport? report) => new { passed = report?.Passed ?? true, anomalies = report?.Anomalies ?? [] };

    private static object Summary(DatasetVersion v) => new
    {
        dataset = v.Name, version = v.Version, rows = v.Rows, columns = v.Columns, created_at = v.Created, source = v.Source, parent = v.Parent,
        added_rows = v.AddedRows, actor = v.Actor, schema_revision = v.Schema.Revision, anomalies = v.Validation?.Anomalies.Count ?? 0,
    };
}
