using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Reports;
using Tend.Pipelines.Reports;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;

namespace Tend.Cli.Commands;

internal static class MonitorCommands
{
    private static readonly Option<DateTimeOffset?> From = new("--from") { Description = "Window start (ISO-8601; default: the first logged prediction)" };
    private static readonly Option<DateTimeOffset?> To = new("--to") { Description = "Window end, exclusive (default: now)" };
    private static readonly Option<string?> Reference = new("--reference") { Description = "FILE or dataset VERSION to compare against (default: the champion's training data)" };
    private static readonly Option<string?> Current = new("--current") { Description = "FILE, dataset VERSION, or a window of the prediction log: last:24h (s, m, h, d) or last:5000 (rows); default: the log between --from and --to" };
    private static readonly Argument<string?> ReportId = new("report") { Description = "A report's id or its first 6+ characters (tend monitor list)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> HtmlReport = new("--report") { Description = "Write the report as a self-contained HTML page to this file (per-column distributions, no CDN)" };
    private static readonly Option<string?> Statistic = new("--statistic") { Description = "One statistic for every column it applies to: ks, chi_square, z, psi, wasserstein, jensen_shannon, hellinger (default: by column type and size)" };

    public static Command Create(CliConsole console)
    {
        var run = new Command("run", "Compare served traffic (or a file or dataset version) with the training data (or another): drift per feature, of the predictions and of the dataset; live accuracy; then check tend.yaml's alert rules")
            { Reference, Current, From, To, Statistic }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var request = new MonitorRequest(parsed.GetValue(Reference), parsed.GetValue(Current), parsed.GetValue(From), parsed.GetValue(To), parsed.GetValue(Statistic));
            var ((report, alerts), _) = await cli.StepAsync("Monitoring", () => tend.MonitorAsync(request, ct));
            foreach (var alert in alerts)
                cli.Stderr.WriteLine($"{AlertStage.Line(alert)}{(alert.PipelineRun is { } run ? $"; started pipeline run {run}" : "")}");
            cli.Emit(report, o => ReportTerminal.Write(o, MonitorDocument.Of(report)));
            return 0;
        });
        var show = new Command("show", "Show a monitor report (default: the latest); --report writes it as a self-contained HTML page") { ReportId, HtmlReport }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var report = await tend.ReportAsync(parsed.GetValue(ReportId), ct);
            var document = MonitorDocument.Of(report);
            if (parsed.GetValue(HtmlReport) is { } file)
                await File.WriteAllTextAsync(file, ReportHtml.Page(document), ct);
            cli.Emit(report, o => ReportTerminal.Write(o, document));
            return 0;
        });
        var list = new Command("list", "The stored monitor reports, newest first").Team(console, async (_, cli, tend, ct) =>
        {
            var reports = (await tend.ReportsAsync(ct)).Reverse().ToList();
            cli.Emit(reports.Select(r => new { r.Id, r.Created, r.Reference, r.Current, r.CurrentRows, r.DatasetDrift, r.Rule, drifted_features = r.Features.Count(f => f.Drifted), features = r.Features.Count }).ToList(), o =>
            {
                var table = new Table().AddColumns("report", "created", "reference", "current", "rows", "dataset drift", "drifted features");
                foreach (var r in reports)
                    table.AddRow(r.Id, r.Created.ToString("u"), Markup.Escape(r.Reference), Markup.Escape(r.Current), r.CurrentRows.ToString(), r.DatasetDrift ? $"[red]yes[/] ({r.Rule})" : "no",
                        $"{r.Features.Count(f => f.Drifted)} of {r.Features.Count}");
                o.Write(table);
            });
            return 0;
        });
        return new Command("monitor", "Drift, data quality and live performance of the served model") { run, list, show };
    }
}
