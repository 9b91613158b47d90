using Tend.Core.Spec;

namespace Tend.Core.Domain;

/// <summary>Where a release stands. The first five are active: a model has at most one active release.</summary>
public enum ReleaseState
{
    /// <summary>Waiting for a second person to approve the first step (<c>approval: required</c>).</summary>
    Approval,
    Shadow,
    Canary,
    Paused,
    /// <summary>A step ran out of time without enough data and the policy says hold: it waits for a person.</summary>
    Held,
    Promoted,
    RolledBack,
    Aborted,
    /// <summary>A newer challenger arrived and its release took over.</summary>
    Superseded,
    /// <summary>A dry run judged every step without moving traffic.</summary>
    Judged,
}

/// <summary>What one check says of a step: pass, fail, or not enough data yet to say either.</summary>
public enum CheckVerdict
{
    Pass,
    Fail,
    NotEnoughData,
}

/// <summary>
/// One check of the challenger against the champion over the same window: each side's value, the difference with its
/// 95 % interval where there is one, the p-value and the one corrected across the step's checks (Benjamini–Hochberg),
/// the rows it read, how it counts (critical, weight) and the verdict with a sentence saying why.
/// </summary>
public sealed record ReleaseCheck(
    string Name,
    CheckVerdict Verdict,
    double? Challenger,
    double? Champion,
    double? Low,
    double? High,
    double? PValue,
    double? AdjustedPValue,
    int Rows,
    bool Critical,
    double Weight,
    string Detail);

/// <summary>
/// One decision of a release: when, in which phase (<c>shadow</c> or a step's percent), what was done (start,
/// approve, hold, advance, promote, rollback, pause, resume, abort, supersede, deadline), by whom, why, on how many
/// challenger requests, and every check's values as they were then.
/// </summary>
public sealed record ReleaseDecision(
    DateTimeOffset Time,
    string Phase,
    string Action,
    string Actor,
    string Reason,
    int Requests,
    IReadOnlyList<ReleaseCheck> Checks);

/// <summary>
/// A challenger's way to champion: <see cref="Step"/> is -1 in the <see cref="Shadow"/> phase, else the index of the
/// canary step in <see cref="Steps"/> (the policy's when it started, kept so an edit of tend.yaml cannot move a release
/// mid-way), entered at <see cref="StepStarted"/>. <see cref="Automatic"/> releases (started by a pipeline) count
/// against the policy's cap and cooldown. <see cref="Revision"/> counts saves, so two processes deciding at once do
/// not overwrite each other. A dry run judges every step on shadow traffic and moves none.
/// </summary>
public sealed record Release(
    string Id,
    string Model,
    int Challenger,
    int Champion,
    ReleaseState State,
    int Step,
    DateTimeOffset Started,
    DateTimeOffset StepStarted,
    DateTimeOffset Updated,
    string StartedBy,
    bool DryRun,
    bool Automatic,
    ShadowPhase? Shadow,
    IReadOnlyList<ReleaseStep> Steps,
    IReadOnlyList<ReleaseDecision> Decisions,
    ReleaseState? PausedIn = null,
    int Revision = 0)
{
    public const int ShadowStep = -1;

    public bool Active => State is ReleaseState.Approval or ReleaseState.Shadow or ReleaseState.Canary or ReleaseState.Paused or ReleaseState.Held;

    /// <summary>Whether the challenger takes part in serving now: once approved, until the release ends.</summary>
    private bool Serving => Active && State != ReleaseState.Approval;

    /// <summary>Whether the challenger scores a copy of each request now, answering none: in the shadow phase and in a dry run.</summary>
    public bool Shadowed => Serving && (DryRun || Step == ShadowStep);

    /// <summary>The challenger's share of requests now: its step's while it serves as canary, else 0.</summary>
    public double ChallengerPercent => Serving && !Shadowed ? Steps[Step].Percent : 0;

    /// <summary>The phase as people say it: <c>shadow</c>, or the step's share of requests.</summary>
    public string Phase => Step == ShadowStep ? "shadow" : $"{Steps[Step].Percent:0.##}%";

    /// <summary>The latest checks, with the decision that made them.</summary>
    public ReleaseDecision? LastJudged => Decisions.LastOrDefault(d => d.Checks.Count > 0);
}
