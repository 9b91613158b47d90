using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Data.Sources;
using Tend.Registry;
using Tend.Serving;
using Tend.Serving.Batch;
using Tend.Training.Models;

namespace Tend.Cli.Commands;

internal static class PredictCommand
{
    private static readonly Argument<string> Input = new("input") { Description = "A CSV, TSV, Parquet or JSON Lines file (or a folder of them) with the model's feature columns" };
    private static readonly Option<string> Output = new("--output", "-o") { Description = "Where the scored rows go: .csv, or .parquet", Required = true };
    private static readonly Option<string?> Model = new("--model") { Description = "NAME@ALIAS or NAME@VERSION (default: the project's champion)" };
    private static readonly Option<string?> Rejects = new("--rejects") { Description = "Where rows that cannot be scored go, with their line and reason (default: OUTPUT's name + .rejects.csv)" };

    public static Command Create(CliConsole console) =>
        new Command("predict", "Score a file with a registered model: the input columns plus prediction and probabilities, streamed and in parallel") { Input, Output, Model, Rejects }
            .Run(console, async (parsed, cli, ct) =>
            {
                await using var tend = await cli.OpenAsync(ct);
                var ws = tend.Workspace;
                var version = await tend.Get<ModelRegistry>().ResolveAsync(ModelReference.Parse(parsed.GetValue(Model) ?? $"{ws.Spec.Name}@{ModelRegistry.Champion}"), ct);
                using var model = await tend.Get<ModelLoader>().LoadAsync(version, ct);
                var scorer = new BatchScorer(model);
                var path = parsed.GetValue(Input)!;
                var source = DataSources.Open(path, new ReadOptions());
                var output = Path.GetFullPath(parsed.GetValue(Output)!);
                var rejects = Path.GetFullPath(parsed.GetValue(Rejects) ?? Path.ChangeExtension(output, null) + ".rejects.csv");
                File.Delete(rejects); // a rejects file left from an earlier run would mislead
                var estimate = cli.ShowProgress ? EstimateRows(path) : 0; // a pass over the file, only for a bar someone sees
                var (summary, _) = await cli.StepAsync($"Scoring {source.Description} with {version.Name}@{version.Version}", progress =>
                    scorer.RunAsync(source, output, rejects, new Progress(rows => { if (estimate > 0) progress.Report(Math.Min(1, rows / estimate)); }), ct));
                cli.Emit(new
                {
                    model = $"{version.Name}@{version.Version}", output, rows = summary.Rows, scored = summary.Scored, rejected = summary.Rejected,
                    rejects = summary.Rejected > 0 ? rejects : null, seconds = summary.Seconds, rows_per_second = summary.RowsPerSecond,
                }, o =>
                {
                    o.MarkupLineInterpolated($"scored {summary.Scored:N0} of {summary.Rows:N0} rows with [bold]{version.Name}@{version.Version}[/] in {Format.Seconds(summary.Seconds)} ({summary.RowsPerSecond:N0} rows/s) → {output}");
                    if (summary.Rejected > 0)
                        o.MarkupLineInterpolated($"[yellow]{summary.Rejected:N0} rows could not be scored[/]: {rejects}");
                });
                return 0;
            });

    /// <summary>The rows a text file holds, about (its line breaks, less the header), to fill the progress bar; 0 when unknown.</summary>
    private static double EstimateRows(string path)
    {
        if (!File.Exists(path) || Path.GetExtension(path).ToLowerInvariant() is ".parquet" or ".pq")
            return 0;
        using var file = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        long lines = 0;
        for (int read; (read = file.Read(buffer)) > 0;)
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return Math.Max(0, lines - 1);
    }

    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
