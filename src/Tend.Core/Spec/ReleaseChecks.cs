namespace Tend.Core.Spec;

/// <summary>
/// How a release step is judged (<c>release.checks:</c>): each kind of check's tolerance (how much worse the challenger
/// may be before a significant difference fails it), which kinds are critical (one failing fails the step), each kind's
/// weight, and the share of the weight that must pass (<see cref="PassScore"/>). docs/release.md gives each default's source.
/// </summary>
public sealed record ReleaseChecks(IReadOnlyDictionary<string, double> Tolerance, IReadOnlySet<string> Critical, IReadOnlyDictionary<string, double> Weight, double PassScore)
{
    public const string ErrorRate = "error_rate", Latency = "latency_p99", Agreement = "agreement", OutputDrift = "output_drift",
        Estimated = "estimated_performance", Realized = "realized_performance", Fairness = "fairness";

    public static readonly IReadOnlyList<string> Kinds = [ErrorRate, Latency, Agreement, OutputDrift, Estimated, Realized, Fairness];

    /// <summary>
    /// error_rate: 1 point of the share of failed requests (Flagger's request-success-rate example, 99 %). latency_p99:
    /// 20 % above the champion's p99. agreement: the challenger may disagree with the champion on 20 % of rows.
    /// estimated and realized performance: 1 point of the metric. fairness: 5 points more of a parity gap (the
    /// four-fifths rule's scale on a selection rate near 0.25). output_drift has no tolerance: the drift test decides.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultTolerance = new Dictionary<string, double>
    {
        [ErrorRate] = 0.01, [Latency] = 0.2, [Agreement] = 0.2, [Estimated] = 0.01, [Realized] = 0.01, [Fairness] = 0.05,
    };

    /// <summary>
    /// Latency differences below this never fail a step, whatever the relative tolerance: a millisecond is below what a
    /// caller notices and within the timer's noise on a shared machine, where a model answering in 60 µs shows p99s
    /// 30 % apart between two identical models.
    /// </summary>
    public const double LatencyFloorMs = 1;

    /// <summary>What users feel (errors, latency) and how right the model is: one of these failing is enough.</summary>
    public static readonly IReadOnlySet<string> DefaultCritical = new HashSet<string> { ErrorRate, Latency, Estimated, Realized };

    /// <summary>Kayenta's marginal score threshold: below 75 % of the checks' weight passing, a canary fails.</summary>
    public const double DefaultPassScore = 0.75;

    public static readonly ReleaseChecks Default = new(DefaultTolerance, DefaultCritical, new Dictionary<string, double>(), DefaultPassScore);

    public double WeightOf(string kind) => Weight.TryGetValue(kind, out var w) ? w : 1;

    public double ToleranceOf(string kind) => Tolerance.TryGetValue(kind, out var t) ? t : 0;

    internal static ReleaseChecks Load(YamlMap release)
    {
        if (release.Map("checks", [.. Kinds, "pass_score"]) is not { } map)
            return Default;
        var tolerance = new Dictionary<string, double>(DefaultTolerance);
        var critical = new HashSet<string>(DefaultCritical);
        var weight = new Dictionary<string, double>();
        foreach (var kind in Kinds)
        {
            if (map.Map(kind, ["tolerance", "critical", "weight"]) is not { } check)
                continue;
            if (check.Number("tolerance") is { } t)
                tolerance[kind] = t >= 0 ? t : throw check.Error("tolerance", $"'release.checks.{kind}.tolerance' must be 0 or more; got {t}");
            if (check.Bool("critical") is { } c)
                _ = c ? critical.Add(kind) : critical.Remove(kind);
            if (check.Number("weight") is { } w)
                weight[kind] = w >= 0 ? w : throw check.Error("weight", $"'release.checks.{kind}.weight' must be 0 or more; got {w}");
        }
        var pass = map.Number("pass_score") ?? DefaultPassScore;
        if (pass is < 0 or > 1)
            throw map.Error("pass_score", $"'release.checks.pass_score' must be between 0 and 1; got {pass}");
        return new ReleaseChecks(tolerance, critical, weight, pass);
    }
}
