namespace Tend.Core.Spec;

/// <summary>
/// When the pipeline promotes a new version over the champion (<c>promote:</c> in tend.yaml): when its metric is
/// better on the holdout rows neither trained on, or only when the paired bootstrap interval of the gain excludes 0.
/// </summary>
public enum PromoteRule
{
    SignificantlyBetter,
    Better,
}

public static class PromoteRules
{
    /// <summary>Each rule by its name in tend.yaml, the default first.</summary>
    public static readonly IReadOnlyList<(string Name, PromoteRule Rule)> Named = [("significantly_better", PromoteRule.SignificantlyBetter), ("better", PromoteRule.Better)];

    public static string Name(this PromoteRule rule) => Named.First(n => n.Rule == rule).Name;
}

/// <summary>Whether moving <c>champion</c> needs a second person's approval (<c>approval: required</c> in tend.yaml).</summary>
public enum Approval
{
    None,
    Required,
}

/// <summary>
/// One entry of tend.yaml's <c>gates:</c>, with its keys as fields, exactly one kind per entry:
/// a metric's absolute bounds (<c>{metric: auc, min: 0.8}</c>); a bound relative to the champion on the same rows
/// (<c>max_drop_vs_champion</c>, <c>min_gain_vs_champion</c>, <c>significantly_better_than_champion: true</c>); a
/// fairness measure of a protected attribute (<c>{fairness: demographic_parity_difference, attribute: Marital, max: 0.1}</c>);
/// the measured single-row latency (<c>{latency_p99_ms: 5}</c>); or the model file's size (<c>{model_size_mb: 50}</c>).
/// </summary>
public sealed record Gate(
    string? Metric = null,
    double? Min = null,
    double? Max = null,
    double? MaxDropVsChampion = null,
    double? MinGainVsChampion = null,
    bool SignificantlyBetterThanChampion = false,
    string? Fairness = null,
    string? Attribute = null,
    double? LatencyP99Ms = null,
    double? ModelSizeMb = null)
{
    public const string MetricKind = "metric";
    public const string ChampionKind = "champion";
    public const string FairnessKind = "fairness";
    public const string LatencyKind = "latency";
    public const string SizeKind = "model_size";

    public static readonly string[] Keys =
    [
        "metric", "min", "max", "max_drop_vs_champion", "min_gain_vs_champion", "significantly_better_than_champion",
        "fairness", "attribute", "latency_p99_ms", "model_size_mb",
    ];

    /// <summary>The measures a fairness gate may bound (Tend.Evaluation's FairnessResult computes each).</summary>
    public static readonly string[] FairnessMeasures =
    [
        "demographic_parity_difference", "demographic_parity_ratio", "equal_opportunity_difference", "equalized_odds_difference",
        "accuracy_difference", "mae_difference", "mean_error_difference",
    ];

    public string Kind =>
        Fairness is not null ? FairnessKind
        : LatencyP99Ms is not null ? LatencyKind
        : ModelSizeMb is not null ? SizeKind
        : MaxDropVsChampion is not null || MinGainVsChampion is not null || SignificantlyBetterThanChampion ? ChampionKind
        : MetricKind;
}
