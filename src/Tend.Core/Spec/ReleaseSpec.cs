namespace Tend.Core.Spec;

/// <summary>What a release waits for before it is judged and what happens when it never gets enough: the policy's defaults, or a step's own.</summary>
public enum OnDeadline
{
    Rollback,
    Hold,
}

/// <summary>
/// One step of a release: the challenger's share of requests, how long it bakes at least, and how many requests (and
/// labelled outcomes, where labels arrive) its judgement needs.
/// </summary>
public sealed record ReleaseStep(double Percent, TimeSpan Bake, int MinRequests, int MinLabelled);

/// <summary>An optional first phase where the challenger scores a copy of every request and answers none.</summary>
public sealed record ShadowPhase(TimeSpan Duration, int MinRequests);

/// <summary>
/// How a model's new version is released (<c>release:</c>): an optional <see cref="Shadow"/> phase, then canary
/// <see cref="Steps"/>, each judged against the concurrent champion; a step without enough data by its
/// <see cref="Deadline"/> is rolled back or held (<see cref="OnDeadline"/>). <see cref="ApprovalRequired"/> asks a
/// second person before the first step. <see cref="DryRun"/> judges without moving traffic. At most
/// <see cref="MaxReleases"/> automatic releases within <see cref="Window"/>, <see cref="Cooldown"/> apart. <see cref="Checks"/> say how a step is judged.
/// </summary>
public sealed record ReleaseSpec(
    ShadowPhase? Shadow,
    IReadOnlyList<ReleaseStep> Steps,
    TimeSpan Deadline,
    OnDeadline OnDeadline,
    bool ApprovalRequired,
    bool DryRun,
    TimeSpan Cooldown,
    int MaxReleases,
    TimeSpan Window,
    ReleaseChecks Checks)
{
    /// <summary>Flagger's default analysis interval is 1 minute with 10 iterations; a model's traffic is slower, so half an hour.</summary>
    public static readonly TimeSpan DefaultBake = TimeSpan.FromMinutes(30);
    public const int DefaultMinRequests = 200;
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromHours(24);
    public static readonly IReadOnlyList<double> DefaultSteps = [5, 25, 50, 100];

    /// <summary>The policy of a project whose tend.yaml has no <c>release:</c>.</summary>
    public static readonly ReleaseSpec Default = new(null, DefaultSteps.Select(p => new ReleaseStep(p, DefaultBake, DefaultMinRequests, 0)).ToList(),
        DefaultDeadline, OnDeadline.Rollback, false, false, TimeSpan.Zero, 1, TimeSpan.FromDays(1), ReleaseChecks.Default);

    private static readonly string[] Keys = ["shadow", "steps", "bake", "min_requests", "min_labelled", "deadline", "on_deadline", "approval", "dry_run", "cooldown", "max_releases", "checks"];
    private static readonly string[] StepKeys = ["percent", "bake", "min_requests", "min_labelled"];

    internal static ReleaseSpec? Load(YamlMap root)
    {
        if (root.Map("release", Keys) is not { } r)
            return null;
        var bake = r.Duration("bake") ?? DefaultBake;
        var minRequests = Count(r, "min_requests") ?? DefaultMinRequests;
        var minLabelled = Count(r, "min_labelled") ?? 0;
        var steps = (r.IsListOfMaps("steps")
            ? r.List("steps", StepKeys).Select(s => new ReleaseStep(Percent(s), s.Duration("bake") ?? bake, Count(s, "min_requests") ?? minRequests, Count(s, "min_labelled") ?? minLabelled))
            : (r.NumberList("steps") ?? DefaultSteps).Select(p => new ReleaseStep(p, bake, minRequests, minLabelled))).ToList();
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Percent is not (> 0 and <= 100) || (i > 0 && steps[i].Percent <= steps[i - 1].Percent))
                throw r.Error("steps", $"'release.steps' must be shares of requests above 0 and at most 100, each above the one before; got {string.Join(", ", steps.Select(s => s.Percent))}");
        if (steps.Count == 0 || steps[^1].Percent != 100)
            throw r.Error("steps", "'release.steps' must end at 100: the last step gives the challenger every request before it becomes champion");
        ShadowPhase? shadow = null;
        if (r.Map("shadow", ["duration", "min_requests"]) is { } s)
            shadow = new ShadowPhase(s.Duration("duration") ?? throw s.Error("duration", "'release.shadow' needs 'duration', such as 1h"), Count(s, "min_requests") ?? minRequests);
        var onDeadline = r.String("on_deadline") switch
        {
            null or "rollback" => OnDeadline.Rollback,
            "hold" => OnDeadline.Hold,
            var other => throw r.Error("on_deadline", $"'release.on_deadline' must be one of: rollback, hold; got '{other}'"),
        };
        var approval = r.String("approval") switch
        {
            null or "auto" => false,
            "required" => true,
            var other => throw r.Error("approval", $"'release.approval' must be one of: auto, required; got '{other}'"),
        };
        var (max, window) = (1, TimeSpan.FromDays(1));
        if (r.Map("max_releases", ["releases", "per"]) is { } m)
            (max, window) = (Count(m, "releases") is > 0 and var n ? n : throw m.Error("releases", "'release.max_releases.releases' must be at least 1"),
                m.Duration("per") ?? throw m.Error("per", "'release.max_releases' needs 'per', such as 1d"));
        return new ReleaseSpec(shadow, steps, r.Duration("deadline") ?? DefaultDeadline, onDeadline, approval, r.Bool("dry_run") ?? false,
            r.Duration("cooldown") ?? TimeSpan.Zero, max, window, ReleaseChecks.Load(r));
    }

    private static double Percent(YamlMap step) => step.Number("percent") ?? throw step.Error("percent", "each of 'release.steps' needs 'percent'");

    private static int? Count(YamlMap map, string key) =>
        map.Integer(key) is { } n ? n >= 0 ? n : throw map.Error(key, $"'{key}' must be 0 or more; got {n}") : null;
}
