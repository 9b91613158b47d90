using System.CommandLine;
using Tend.Cli.Rendering;
using Tend.Core.Errors;
using Tend.Core.Reports;
using Tend.Evaluation;
using Tend.Evaluation.Reports;
using Tend.Pipelines.Stages;

namespace Tend.Cli.Commands;

internal static class EvaluateCommand
{
    private static readonly Argument<string> Target = new("target") { Description = "A run id (or a unique prefix), or a model version NAME@VERSION / NAME@ALIAS" };
    private static readonly Option<string?> Data = new("--data") { Description = "Evaluate on this dataset version or CSV file (less the rows the model trained on) instead of the run's holdout" };
    private static readonly Option<string?> Report = new("--report") { Description = "Also write the evaluation as a self-contained HTML report to this file" };
    private static readonly Option<string?> MarkdownReport = new("--report-md") { Description = "Also write the evaluation as Markdown to this file (for a pull request's comment, say)" };

    public static Command Create(CliConsole console) =>
        new Command("evaluate", "Evaluate a model on rows it never trained on, compare it with the champion, check the gates (exit 4 when one fails)") { Target, Data, Report, MarkdownReport }
            .Run(console, async (parsed, cli, ct) =>
            {
                await using var tend = await cli.OpenAsync(ct);
                var ws = tend.Workspace;
                var ((report, record), _) = await cli.StepAsync("Evaluating", () => EvaluateStage.RunAsync(ws, parsed.GetValue(Target)!, parsed.GetValue(Data), ct));
                var document = EvaluationDocument.Of(report, ws.Spec);
                if (parsed.GetValue(Report) is { } file)
                    await File.WriteAllTextAsync(file, ReportHtml.Page(document), ct);
                if (parsed.GetValue(MarkdownReport) is { } markdown)
                    await File.WriteAllTextAsync(markdown, ReportMarkdown.Render(document), ct);
                cli.Emit(new
                {
                    evaluation_id = record.Id, subject = report.Subject, run_id = report.RunId, data = report.Data, rows = report.Rows, rows_note = report.RowsNote,
                    passed = report.Passed, metrics = report.Metrics, interval = report.Interval, threshold = report.Threshold, gates = report.Gates,
                    fairness = report.Fairness, champion = report.Champion, slices = report.Slices.Take(10), importance = report.Importance,
                    latency = report.Latency, model_bytes = report.ModelBytes, confusion_matrix = report.ConfusionMatrix, classes = report.Classes, per_class = report.PerClass,
                }, o => ReportTerminal.Write(o, document));
                if (report.Passed)
                    return 0;
                cli.Stderr.WriteLine($"error: quality gate failed: {report.Verdict}");
                return ErrorCode.GateFailed.ExitCode();
            });
}
