using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Monitoring.Alerts;

namespace Tend.Pipelines.Stages;

/// <summary>
/// Checks tend.yaml's alert rules against a fresh monitor report. Each new alert is stored (audited as
/// <c>alert.fire</c>), written to the log, posted to the webhook when one is set, and, when its rule says so, starts the
/// lifecycle pipeline (trigger <c>alert</c>), whose run it names. A repeat within the rule's cooldown is only counted.
/// </summary>
public static class AlertStage
{
    public const string LogChannel = "log";

    private static readonly HttpClient Http = WebhookTargets.FromEnvironment().Client();

    /// <param name="log">Where the log channel writes (stderr for the CLI, the server's logger for tend serve).</param>
    /// <returns>The alerts that fired (not the repeats).</returns>
    public static async Task<IReadOnlyList<Alert>> CheckAsync(Workspace ws, MonitorReport report, Action<string> log, CancellationToken ct)
    {
        var rules = ws.Spec.Monitor.Alerts ?? [];
        if (rules.Count == 0)
            return [];
        var fired = new List<Alert>();
        foreach (var (rule, alert, isNew) in AlertRules.Check(report, rules, await ws.Store.Alerts.ListAsync(ct), ws.Time.GetUtcNow()))
        {
            if (!isNew)
            {
                await ws.Store.Alerts.SaveAsync(alert, null, ct);
                continue;
            }
            var done = await FireAsync(ws, alert, log, ct);
            if (rule.Retrain)
                done = done with { PipelineRun = await RetrainAsync(ws, rule.RetrainSource, log, ct) };
            await ws.Store.Alerts.SaveAsync(done, null, ct);
            fired.Add(done);
        }
        return fired;
    }

    /// <summary>Stores a new alert (audited as <c>alert.fire</c>) and delivers it to every channel: the log, and the webhook when one is set.</summary>
    public static async Task<Alert> FireAsync(Workspace ws, Alert alert, Action<string> log, CancellationToken ct)
    {
        await ws.Store.Alerts.SaveAsync(alert, new AuditEntry(ws.Actor, "alert.fire", $"{alert.Model}@alert:{alert.Rule}", alert.Message, After: TendJson.Serialize(alert)), ct);
        log(Line(alert));
        var deliveries = new List<AlertDelivery> { new(LogChannel, true, 1) };
        if (ws.Spec.Monitor.Webhook is { } webhook)
            deliveries.Add(await new Webhook(Http, ws.Time).PostAsync(alert, webhook, ct));
        return alert with { Deliveries = deliveries };
    }

    /// <summary>A fired alert as one line of a log or a terminal.</summary>
    public static string Line(Alert alert) => $"ALERT {alert.Message} [{alert.Id}]";

    /// <summary>
    /// The retraining trigger: the pipeline's run id, whatever its outcome (a gate may keep the champion); null when the
    /// lifecycle is running already (one run at a time), which the log says.
    /// </summary>
    private static async Task<string?> RetrainAsync(Workspace ws, string? source, Action<string> log, CancellationToken ct)
    {
        PipelineResult result;
        try
        {
            result = await LifecyclePipeline.RunAsync(ws, null, source, "alert", ct);
        }
        catch (TendException e) when (e.Code == ErrorCode.Conflict)
        {
            log($"retraining not started: {e.Message}");
            return null;
        }
        log($"pipeline run {result.Run.Id} (trigger alert): {(result.Failure is null ? "succeeded" : $"stopped: {result.Run.Message}")}");
        return result.Run.Id;
    }
}
