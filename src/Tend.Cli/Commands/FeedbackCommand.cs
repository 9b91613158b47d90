using System.CommandLine;
using Spectre.Console;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Data.Sources;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

internal static class FeedbackCommand
{
    private static readonly Argument<string> Input = new("file") { Description = "A CSV, Parquet or JSON Lines file with a request id and the true label on each row" };
    private static readonly Option<string> IdColumn = new("--request-id") { Description = "The column of request ids", DefaultValueFactory = _ => "request_id" };
    private static readonly Option<string> LabelColumn = new("--label") { Description = "The column of true labels", DefaultValueFactory = _ => "label" };

    private const int Chunk = 10_000;

    public static Command Create(CliConsole console) =>
        new Command("feedback", "Record the true labels of served predictions by request id (the same row twice is harmless); unknown ids are reported") { Input, IdColumn, LabelColumn }
            .Run(console, async (parsed, cli, ct) =>
            {
                await using var tend = await cli.OpenAsync(ct);
                var source = DataSources.Open(parsed.GetValue(Input)!, new ReadOptions());
                var (id, label) = (Column(source, parsed.GetValue(IdColumn)!), Column(source, parsed.GetValue(LabelColumn)!));
                long accepted = 0, skipped = 0;
                var unknown = new List<string>();
                foreach (var rows in source.Rows(ct).Chunk(Chunk))
                {
                    var feedback = rows.Where(r => r.Cells[id] is not null && r.Cells[label] is not null).Select(r => new Feedback(r.Cells[id]!, r.Cells[label]!)).ToList();
                    skipped += rows.Length - feedback.Count;
                    var missing = await tend.Get<MonitoringService>().AddFeedbackAsync(feedback, ct);
                    accepted += feedback.Count - missing.Count;
                    unknown.AddRange(missing);
                }
                cli.Emit(new { accepted, unknown = unknown.Count, unknown_ids = unknown.Take(100), skipped_without_id_or_label = skipped }, o =>
                {
                    o.MarkupLineInterpolated($"recorded {accepted:N0} labels from {source.Description}");
                    if (unknown.Count > 0)
                        o.MarkupLineInterpolated($"[yellow]{unknown.Count:N0} request ids match no prediction[/], e.g. {string.Join(", ", unknown.Take(5))}");
                    if (skipped > 0)
                        o.MarkupLineInterpolated($"[yellow]{skipped:N0} rows without a request id or label skipped[/]");
                });
                return 0;
            });

    private static int Column(RowSource source, string name)
    {
        var index = source.Columns.ToList().IndexOf(name);
        return index >= 0 ? index
            : throw TendException.InvalidData($"{source.Description}: no column '{name}'; its columns are: {string.Join(", ", source.Columns)} (choose with --request-id and --label)");
    }
}
