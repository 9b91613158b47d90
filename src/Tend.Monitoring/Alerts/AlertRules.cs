using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Spec;

namespace Tend.Monitoring.Alerts;

/// <summary>
/// What a monitor report means for the alert rules: each rule whose condition holds either fires a new alert, or,
/// when it fired less than its cooldown ago, counts one more occurrence on that alert (de-duplication: one
/// notification per cooldown, however often the condition holds).
/// </summary>
public static class AlertRules
{
    /// <summary>A new alert to notify, or a repeat of an earlier one to record quietly.</summary>
    public sealed record Outcome(AlertRule Rule, Alert Alert, bool IsNew);

    /// <param name="history">Earlier alerts, any order.</param>
    public static IReadOnlyList<Outcome> Check(MonitorReport report, IReadOnlyList<AlertRule> rules, IReadOnlyList<Alert> history, DateTimeOffset now)
    {
        var json = JsonSerializer.SerializeToElement(report, TendJson.Options);
        var outcomes = new List<Outcome>();
        foreach (var rule in rules)
        {
            var (holds, value) = rule.When.Evaluate(json);
            if (!holds)
                continue;
            var text = value?.ValueKind == JsonValueKind.String ? value.Value.GetString() : value?.GetRawText();
            var last = history.Where(a => a.Rule == rule.Name && a.Model == report.Model).MaxBy(a => a.Fired);
            if (last is not null && now - last.Fired < rule.Cooldown)
            {
                outcomes.Add(new Outcome(rule, last with { Occurrences = last.Occurrences + 1, LastSeen = now }, IsNew: false));
                continue;
            }
            var message = $"{rule.Severity.ToString().ToLowerInvariant()} alert '{rule.Name}' on {report.Model}: {rule.When} (value {text}); " +
                $"{(report.DatasetDrift ? $"dataset drift by {report.Rule}" : "no dataset drift")}, {report.CurrentRows} rows of {report.Current} against {report.Reference}";
            outcomes.Add(new Outcome(rule, new Alert(Guid.CreateVersion7().ToString("N"), rule.Name, rule.Severity, now, report.Id, report.Model,
                rule.When.ToString(), text, message, LastSeen: now), IsNew: true));
        }
        return outcomes;
    }
}
