namespace Tend.Core.Domain;

/// <summary>
/// One comparison of a current window (served traffic, a dataset version or a file) against a reference (by default
/// the training data): drift per feature and for the dataset, with the <see cref="Rule"/> that decided it; drift of
/// the predictions themselves (served predictions against the champion's predictions on the reference); and live
/// performance where feedback came back.
/// </summary>
public sealed record MonitorReport(
    string Id,
    DateTimeOffset Created,
    string Model,
    string Reference,
    int ReferenceRows,
    string Current,
    int CurrentRows,
    DateTimeOffset? WindowStart,
    DateTimeOffset? WindowEnd,
    bool DatasetDrift,
    string Rule,
    double DriftShare,
    IReadOnlyList<FeatureDrift> Features,
    LivePerformance? Performance,
    FeatureDrift? PredictionDrift = null,
    FeatureDrift? LabelDrift = null,
    PerformanceEstimate? Estimated = null,
    RequestQuality? Quality = null,
    IReadOnlyList<LiveFairness>? Fairness = null);

/// <summary>
/// How the served predictions treat the groups of one protected attribute in this window (a binary classifier): each
/// group's selection rate (the share predicted positive) always, with fairlearn's demographic parity difference (max −
/// min) and ratio (min / max); and where feedback came back, each group's true and false positive rates with the equal
/// opportunity (TPR gap) and equalized odds (the larger of the TPR and FPR gaps) differences. The summaries compare
/// groups of at least evaluation.min_slice_rows rows; the report history makes these a series over time.
/// </summary>
public sealed record LiveFairness(
    string Attribute,
    IReadOnlyList<GroupRates> Groups,
    double? DemographicParityDifference,
    double? DemographicParityRatio,
    int LabelledRows,
    double? EqualOpportunityDifference,
    double? EqualizedOddsDifference);

/// <summary>One group's rows and selection rate, and its true and false positive rates on its labelled rows (null without any).</summary>
public sealed record GroupRates(string Group, int Rows, double SelectionRate, int LabelledRows = 0, double? TruePositiveRate = null, double? FalsePositiveRate = null);

/// <summary>
/// The requests of a window of served traffic: how many the server refused (a missing feature, a wrong type, a null
/// where the training data had none, …), their share (the error rate), how often each field was the one named, and the
/// latency of the answered ones (time to read, check, predict and log a row; nearest-rank percentiles).
/// </summary>
public sealed record RequestQuality(int Requests, int Rejected, double RejectedShare, IReadOnlyDictionary<string, int> RejectedByField,
    double? LatencyP50Ms = null, double? LatencyP99Ms = null);

/// <summary>
/// The drift verdict of one feature by its deciding statistic: its <see cref="Value"/>, and for a test its
/// <see cref="PValue"/> and that p-value corrected for testing every column (<see cref="AdjustedPValue"/>, which is
/// what is held against <see cref="Threshold"/>); a distance drifted when its value reaches the threshold.
/// <see cref="Details"/> holds every other applicable statistic and the data-quality counts.
/// </summary>
public sealed record FeatureDrift(
    string Name,
    ColumnType Type,
    string Statistic,
    double Value,
    double? PValue,
    double Threshold,
    bool Drifted,
    IReadOnlyDictionary<string, double> Details,
    double? AdjustedPValue = null,
    BinShares? Shares = null);

/// <summary>
/// Both sides of a column as shares of common bins, for drawing: the reference's deciles for numbers (bins named by
/// their edges), the categories otherwise (the most frequent ones, the rest as "(other)").
/// </summary>
public sealed record BinShares(IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Current);

/// <summary>
/// The model's metric on the served rows whose ground truth came back as feedback, with its 95 % bootstrap interval
/// (<see cref="Low"/>, <see cref="High"/>) and every other metric the rows allow (<see cref="Metrics"/>).
/// <see cref="Evaluated"/> is the same metric from the champion's evaluation; <see cref="ConceptDrift"/> is set when
/// that value lies outside the live interval on the worse side: the model does worse on live data than it was
/// evaluated to, beyond what chance explains.
/// </summary>
public sealed record LivePerformance(
    int RowsWithFeedback,
    string Metric,
    double Value,
    double? Low = null,
    double? High = null,
    double? Evaluated = null,
    bool ConceptDrift = false,
    IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>
/// Performance without labels (binary classifiers): the metrics expected from the model's probabilities on every
/// served row (<see cref="Estimated"/>), and, on the rows whose labels came back, the estimate beside the realized
/// value, so the estimate can be judged.
/// </summary>
public sealed record PerformanceEstimate(
    int Rows,
    IReadOnlyDictionary<string, double> Estimated,
    int LabelledRows,
    IReadOnlyDictionary<string, double>? EstimatedOnLabelled,
    IReadOnlyDictionary<string, double>? Realized);
