using System.CommandLine;
using Spectre.Console;
using Tend.Core.Domain;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;

namespace Tend.Cli.Commands;

internal static class AlertsCommands
{
    private static readonly Option<bool> All = new("--all") { Description = "Acknowledged alerts too" };
    private static readonly Argument<string> Id = new("id") { Description = "The alert's id (tend alerts list)" };
    private static readonly Option<string> Reason = new("--reason") { Description = "How it was handled, for the audit trail", DefaultValueFactory = _ => "" };

    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "The alerts the monitor's rules fired, newest first: open ones unless --all") { All }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var alerts = await tend.AlertsAsync(parsed.GetValue(All), ct);
            cli.Emit(alerts, o => Render(o, alerts));
            return 0;
        });
        var ack = new Command("ack", "Acknowledge an alert: it is handled (audited)") { Id, Reason }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var alert = await tend.AcknowledgeAsync(parsed.GetValue(Id)!, parsed.GetValue(Reason)!, ct);
            cli.Emit(alert, o => o.MarkupLineInterpolated($"alert {alert.Id} ({alert.Rule}) acknowledged by {alert.AcknowledgedBy}"));
            return 0;
        });
        return new Command("alerts", "Alert history: what fired, how it was delivered, what it started; acknowledge") { list, ack };
    }

    private static void Render(IAnsiConsole o, IReadOnlyList<Alert> alerts)
    {
        if (alerts.Count == 0)
        {
            o.MarkupLine("No alerts.");
            return;
        }
        var table = new Table().AddColumns("id", "rule", "severity", "fired", "seen", "value", "delivered", "pipeline run", "acknowledged");
        foreach (var a in alerts)
            table.AddRow(a.Id, Markup.Escape(a.Rule), a.Severity.ToString().ToLowerInvariant(), a.Fired.ToString("u"), $"{a.Occurrences}×", Markup.Escape(a.Value ?? ""),
                Markup.Escape(string.Join(", ", (a.Deliveries ?? []).Select(d => d.Delivered ? d.Channel : $"{d.Channel} failed: {d.Error}"))),
                a.PipelineRun ?? "", a.Acknowledged is { } at ? $"{a.AcknowledgedBy} {at:u}" : "");
        o.Write(table);
    }
}
