using System.Globalization;
using Microsoft.Extensions.Logging;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Services;

namespace Tend.Pipelines.Triggers;

/// <summary>
/// The triggers of one project's declared pipelines, as <c>tend serve</c> runs them on the workspace's clock: each
/// schedule at its next time in its zone; each watched source observed every <c>every</c>, a change starting a run
/// once it has rested for <c>debounce</c>; alerts and other pipelines' finished runs, read from the store every
/// <see cref="Poll"/> (so those of other processes count too); webhooks through <see cref="WebhookAsync"/>. A schedule's
/// slot, an alert and a finished run fire once however many servers run the triggers (<see cref="ScheduleSlots"/>); a
/// watched source's change too, as the store's watermark moves once from what was acted on to what is new.
/// </summary>
public sealed class PipelineTriggers
{
    /// <summary>How often the store is read for new alerts and finished runs.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    private readonly Workspace _ws;
    private readonly ILogger _logger;
    private readonly IReadOnlyDictionary<string, PipelineStarter> _starters;

    public PipelineTriggers(Workspace ws, ILogger logger, CancellationToken stop)
    {
        (_ws, _logger) = (ws, logger);
        _starters = (ws.Spec.Pipelines ?? []).Where(p => p.Triggers is { Count: > 0 }).ToDictionary(p => p.Name, p => new PipelineStarter(ws, p, logger, stop));
    }

    public string Project => _ws.Spec.Name;

    /// <summary>The pipelines that have triggers, by name.</summary>
    public IReadOnlyDictionary<string, PipelineStarter> Starters => _starters;

    private IEnumerable<(PipelineStarter Starter, TriggerSpec Trigger)> Of(TriggerKind kind) =>
        _ws.Spec.Pipelines!.Where(p => _starters.ContainsKey(p.Name)).SelectMany(p => p.Triggers!.Where(t => t.Kind == kind).Select(t => (_starters[p.Name], t)));

    /// <summary>Runs every trigger until <paramref name="stop"/>; then ends quietly (a run under way is cancelled and recorded so).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        foreach (var (starter, trigger) in Of(TriggerKind.Schedule).Concat(Of(TriggerKind.NewData)))
            _logger.LogInformation("pipeline {Pipeline} of {Project} starts on {Trigger}", starter.Pipeline, Project, trigger);
        var loops = Of(TriggerKind.Schedule).Select(t => ScheduleAsync(t.Starter, t.Trigger, stop))
            .Concat(Of(TriggerKind.NewData).Select(t => WatchAsync(t.Starter, t.Trigger, stop)))
            .Append(PollAsync(stop));
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the server stops
        }
    }

    /// <summary>Starts the pipeline for an authenticated webhook call; Conflict when it has no webhook trigger.</summary>
    public Task<Fired> WebhookAsync(string pipeline, string why, string actor)
    {
        var declared = _ws.Spec.Pipelines?.FirstOrDefault(p => p.Name == pipeline)
            ?? throw TendException.NotFound($"project '{Project}' declares no pipeline '{pipeline}'");
        var hook = declared.Triggers?.FirstOrDefault(t => t.Kind == TriggerKind.Webhook)
            ?? throw new TendException(ErrorCode.Conflict, $"pipeline '{pipeline}' has no 'webhook: true' trigger in tend.yaml, so no call starts it");
        return _starters[pipeline].FireAsync(hook, why, actor);
    }

    private async Task ScheduleAsync(PipelineStarter starter, TriggerSpec trigger, CancellationToken stop)
    {
        var (cron, zone) = (trigger.Cron, trigger.Zone);
        while (!stop.IsCancellationRequested)
        {
            var now = _ws.Time.GetUtcNow();
            if (cron.GetNextOccurrence(now, zone) is not { } next)
                return;
            await Task.Delay(next - now, _ws.Time, stop);
            await Guarded(() => ScheduleSlots.FireOnceAsync(_ws, $"pipeline {starter.Pipeline}: {trigger}", next,
                () => starter.FireAsync(trigger, $"due at {TimeZoneInfo.ConvertTime(next, zone).ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture)}"), Fired.Skipped, stop));
        }
    }

    /// <summary>
    /// Observes the source every <c>every</c>. An observation unlike the last one acted on is new data once it has stayed
    /// the same for <c>debounce</c>. The observation acted on is the store's watermark, so a change while the servers were
    /// down counts, and of the servers that see a change, the one that moves the watermark first starts the run.
    /// </summary>
    private async Task WatchAsync(PipelineStarter starter, TriggerSpec trigger, CancellationToken stop)
    {
        var source = DataSources.Named(_ws.Spec, trigger.Target);
        var hashes = _ws.ContentHashes();
        var (store, key) = (_ws.Store.Pipelines, $"{Project}/{starter.Pipeline}/{source.Name}");
        await Guarded(async () =>
        {
            if (await store.GetWatermarkAsync(key, stop) is null && Kept(starter.Pipeline, source.Name) is { } kept)
                await store.MoveWatermarkAsync(key, null, kept, _ws.Time.GetUtcNow(), stop);
            return Fired.Skipped;
        });
        (string Observed, DateTimeOffset Since)? changing = null;
        using var timer = new PeriodicTimer(trigger.Every!.Value, _ws.Time);
        do
        {
            await Guarded(async () =>
            {
                var observed = await SourceObservation.ObserveAsync(source, _ws.Root, hashes, stop);
                hashes.Save();
                var now = _ws.Time.GetUtcNow();
                var acted = await store.GetWatermarkAsync(key, stop);
                if (acted is null)
                    await store.MoveWatermarkAsync(key, null, observed, now, stop); // the first look is where change is counted from
                else if (observed == acted)
                    changing = null;
                else
                {
                    if (changing?.Observed != observed)
                        changing = (observed, now);
                    if (now - changing.Value.Since >= trigger.Debounce)
                    {
                        changing = null;
                        if (await store.MoveWatermarkAsync(key, acted, observed, now, stop))
                            return await starter.FireAsync(trigger, $"{Short(acted)} → {Short(observed)}");
                    }
                }
                return Fired.Skipped;
            });
        }
        while (await timer.WaitForNextTickAsync(stop));
    }

    /// <summary>What a server acted on before the watermarks were kept in the store: its project's state folder held them.</summary>
    private string? Kept(string pipeline, string source) =>
        _ws.CacheFile("observed-sources.json") is var file && File.Exists(file)
            ? TendJson.Deserialize<Dictionary<string, string>>(File.ReadAllText(file)).GetValueOrDefault($"{pipeline}/{source}")
            : null;

    /// <summary>Reads the store for alerts that fired and pipeline runs that ended since the last look.</summary>
    private async Task PollAsync(CancellationToken stop)
    {
        var alerts = Of(TriggerKind.Alert).ToList();
        var finished = Of(TriggerKind.RunFinished).ToList();
        if (alerts.Count == 0 && finished.Count == 0)
            return;
        var since = _ws.Time.GetUtcNow();
        using var timer = new PeriodicTimer(Poll, _ws.Time);
        while (await timer.WaitForNextTickAsync(stop))
        {
            var until = _ws.Time.GetUtcNow();
            await Guarded(async () =>
            {
                if (alerts.Count > 0)
                    foreach (var alert in (await _ws.Store.Alerts.ListAsync(stop)).Where(a => a.Model == Project && a.Fired >= since && a.Fired < until))
                        foreach (var (starter, trigger) in alerts.Where(t => t.Trigger.Target is "*" || t.Trigger.Target == alert.Rule))
                            await OnceAsync(starter, trigger, $"alert {alert.Id}", alert.Fired, $"alert {alert.Id[..8]} ({alert.Severity}): {alert.Message}", stop);
                if (finished.Count > 0)
                    foreach (var run in (await PipelineService.ListAsync(_ws.Store.Pipelines, _ws.Time, stop, Project)).Where(r => r.Status == PipelineState.Succeeded && r.Ended >= since && r.Ended < until))
                        foreach (var (starter, trigger) in finished.Where(t => t.Trigger.Target == run.Pipeline))
                            await OnceAsync(starter, trigger, $"run {run.Id}", run.Ended, $"run {run.Id[..8]} succeeded", stop);
                return Fired.Skipped;
            });
            since = until;
        }
    }

    /// <summary>
    /// Fires the trigger for an event of the store (an alert, a finished run) once however many servers see it: the event
    /// is a slot (<see cref="ScheduleSlots"/>) named by the pipeline, the trigger and the event, due when it happened.
    /// </summary>
    private Task<Fired> OnceAsync(PipelineStarter starter, TriggerSpec trigger, string @event, DateTimeOffset happened, string why, CancellationToken stop) =>
        ScheduleSlots.FireOnceAsync(_ws, $"pipeline {starter.Pipeline}: {trigger} for {@event}", happened, () => starter.FireAsync(trigger, why), Fired.Skipped, stop);

    /// <summary>Runs one look; a failure is logged and the next look still comes.</summary>
    private async Task Guarded(Func<Task<Fired>> look)
    {
        try
        {
            await look();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("a trigger of project {Project} failed to look: {Error}", Project, e.Message);
        }
    }

    private static string Short(string observation) => observation.Length > 24 ? observation[..24] + "…" : observation;
}
