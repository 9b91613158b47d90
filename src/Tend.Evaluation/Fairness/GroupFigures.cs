namespace Tend.Evaluation.Fairness;

/// <summary>
/// One group's figures. Classification: the share predicted positive (<see cref="SelectionRate"/>), true and false positive
/// rates and precision for binary, accuracy for both; regression: the mean signed error (prediction − label) and the MAE.
/// </summary>
public sealed record GroupFigures(
    string Group,
    int Rows,
    double? SelectionRate = null,
    double? TruePositiveRate = null,
    double? FalsePositiveRate = null,
    double? Precision = null,
    double? Accuracy = null,
    double? MeanError = null,
    double? MeanAbsoluteError = null);
