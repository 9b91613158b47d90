using Cronos;

namespace Tend.Core.Spec;

/// <summary>What starts a pipeline by itself when <c>tend serve</c> runs.</summary>
public enum TriggerKind
{
    /// <summary>A cron schedule in a time zone.</summary>
    Schedule,
    /// <summary>A source under <c>data.sources</c> observed to have changed (polled, debounced).</summary>
    NewData,
    /// <summary>An alert rule under <c>monitor.alerts</c> firing (<c>*</c>: any).</summary>
    Alert,
    /// <summary>An authenticated POST to the pipeline's webhook, Prometheus Alertmanager's format among them.</summary>
    Webhook,
    /// <summary>Another pipeline's run succeeding.</summary>
    RunFinished,
}

/// <summary>What a trigger does when the pipeline is already running: one run at a time, always.</summary>
public enum Overlap
{
    /// <summary>The trigger is dropped (and recorded as skipped).</summary>
    Skip,
    /// <summary>One run waits for the active one to end; more triggers meanwhile join it.</summary>
    Queue,
    /// <summary>The active run is cancelled and a new one starts.</summary>
    Cancel,
}

/// <summary>
/// One trigger of a pipeline: its kind and <see cref="Target"/> (the cron expression, the source, the alert rule, the
/// pipeline), what it does on <see cref="Overlap"/>, and for a schedule its <see cref="TimeZone"/>, for new data how
/// often the source is observed (<see cref="Every"/>) and how long a change must rest before the run starts
/// (<see cref="Debounce"/>: a folder still being copied into starts one run, not ten).
/// </summary>
public sealed record TriggerSpec(TriggerKind Kind, string Target, Overlap Overlap = Overlap.Skip, string? TimeZone = null, TimeSpan? Every = null, TimeSpan? Debounce = null)
{
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromMinutes(1);

    public string Key => Kind switch
    {
        TriggerKind.Schedule => "schedule",
        TriggerKind.NewData => "new_data",
        TriggerKind.Alert => "alert",
        TriggerKind.Webhook => "webhook",
        _ => "run_finished",
    };

    /// <summary>How a run records it: <c>schedule 0 3 * * * (Europe/Berlin)</c>, <c>new_data raw</c>, <c>alert drift</c>…</summary>
    public override string ToString() => Kind == TriggerKind.Webhook ? Key : $"{Key} {Target}{(TimeZone is null ? "" : $" ({TimeZone})")}";

    public CronExpression Cron => MonitorSpec.Cron(Target);
    public TimeZoneInfo Zone => TimeZone is null ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>The most runs a pipeline's triggers may start within <see cref="Per"/> (a trigger beyond it is recorded as skipped).</summary>
public sealed record RunLimit(int Runs, TimeSpan Per)
{
    public override string ToString() => $"{Runs} runs per {Durations.Text(Per)}";
}

/// <summary>Reads a pipeline's <c>triggers:</c> and <c>limit:</c>, checking what they name against the rest of tend.yaml.</summary>
internal static class TriggerLoader
{
    private static readonly string[] Kinds = ["schedule", "new_data", "alert", "webhook", "run_finished"];
    private static readonly string[] Keys = [.. Kinds, "timezone", "overlap", "every", "debounce"];

    public static IReadOnlyList<TriggerSpec> Load(YamlMap pipeline, string name, DataSpec? data, MonitorSpec monitor) =>
        pipeline.List("triggers", Keys).Select(t => One(t, name, data, monitor)).ToList();

    private static TriggerSpec One(YamlMap t, string pipeline, DataSpec? data, MonitorSpec monitor)
    {
        var kinds = Kinds.Where(t.Keys.Contains).ToList();
        if (kinds.Count != 1)
            throw t.Error(kinds.Count == 0 ? "overlap" : kinds[1], $"a trigger of pipeline '{pipeline}' needs exactly one of: {string.Join(", ", Kinds)}");
        var key = kinds[0];
        var target = t.String(key, required: true)!;
        var overlapText = t.String("overlap") ?? "skip";
        var overlap = overlapText switch
        {
            "skip" => Overlap.Skip,
            "queue" => Overlap.Queue,
            "cancel" => Overlap.Cancel,
            _ => throw t.Error("overlap", $"'overlap' of a trigger of pipeline '{pipeline}' must be one of: skip, queue, cancel; got '{overlapText}'"),
        };
        var trigger = key switch
        {
            "schedule" => new TriggerSpec(TriggerKind.Schedule, target, overlap, t.String("timezone")),
            "new_data" => new TriggerSpec(TriggerKind.NewData, target, overlap, null, t.Duration("every") ?? TriggerSpec.DefaultEvery, t.Duration("debounce") ?? TimeSpan.Zero),
            "alert" => new TriggerSpec(TriggerKind.Alert, target, overlap),
            "webhook" => t.Bool("webhook") == true ? new TriggerSpec(TriggerKind.Webhook, "", overlap)
                : throw t.Error("webhook", $"'webhook' of pipeline '{pipeline}' is 'true' or left out"),
            _ => new TriggerSpec(TriggerKind.RunFinished, target, overlap),
        };
        foreach (var only in new[] { ("timezone", TriggerKind.Schedule), ("every", TriggerKind.NewData), ("debounce", TriggerKind.NewData) })
            if (t.Keys.Contains(only.Item1) && trigger.Kind != only.Item2)
                throw t.Error(only.Item1, $"'{only.Item1}' belongs to a '{(only.Item2 == TriggerKind.Schedule ? "schedule" : "new_data")}' trigger, not a '{key}' one");
        switch (trigger.Kind)
        {
            case TriggerKind.Schedule:
                MonitorSpec.CheckCron(t, "schedule", $"'schedule' of pipeline '{pipeline}'", "0 3 * * *");
                try
                {
                    _ = trigger.Zone;
                }
                catch (TimeZoneNotFoundException)
                {
                    throw t.Error("timezone", $"'timezone' of pipeline '{pipeline}' must be an IANA time zone such as Europe/Berlin or UTC; got '{trigger.TimeZone}'");
                }
                break;
            case TriggerKind.NewData:
                var sources = data?.Sources ?? [];
                if (sources.All(s => s.Name != target))
                    throw t.Error("new_data", $"'new_data' of pipeline '{pipeline}' names source '{target}', which is not under data.sources; {Named(sources.Select(s => s.Name))}");
                break;
            case TriggerKind.Alert:
                var rules = monitor.Alerts ?? [];
                if (target != "*" && rules.All(r => r.Name != target))
                    throw t.Error("alert", $"'alert' of pipeline '{pipeline}' names rule '{target}', which is not under monitor.alerts (or '*' for any); {Named(rules.Select(r => r.Name))}");
                break;
        }
        return trigger;
    }

    public static RunLimit? Limit(YamlMap pipeline, string name)
    {
        if (pipeline.Map("limit", ["runs", "per"]) is not { } limit)
            return null;
        var runs = limit.Integer("runs") ?? throw limit.Error("runs", $"'limit' of pipeline '{name}' needs 'runs', the most runs its triggers may start within 'per'");
        if (runs < 1)
            throw limit.Error("runs", $"'limit.runs' of pipeline '{name}' must be at least 1; got {runs}");
        return new RunLimit(runs, limit.Duration("per") ?? throw limit.Error("per", $"'limit' of pipeline '{name}' needs 'per', a duration such as 1h or 1d"));
    }

    public static string Named(IEnumerable<string> names) => names.ToList() is { Count: > 0 } list ? $"named: {string.Join(", ", list)}" : "none is named";
}
