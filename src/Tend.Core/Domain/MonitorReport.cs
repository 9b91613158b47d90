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
    FeatureDrift? PredictionDrift = null);

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
    double? AdjustedPValue = null);

/// <summary>Accuracy on the served rows whose ground truth came back as feedback.</summary>
public sealed record LivePerformance(int RowsWithFeedback, string Metric, double Value);
