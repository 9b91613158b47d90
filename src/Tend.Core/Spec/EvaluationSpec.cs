namespace Tend.Core.Spec;

/// <summary>
/// How a binary classifier's operating threshold is chosen on the evaluation rows: <c>max_f1</c> (the default), the lowest
/// threshold reaching a target <c>precision</c>, the highest reaching a target <c>recall</c>, or a <c>fixed</c> value.
/// </summary>
public sealed record ThresholdRule(string Kind, double Target)
{
    public const string MaxF1 = "max_f1";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string Fixed = "fixed";
    public static readonly string[] Kinds = [MaxF1, Precision, Recall, Fixed];

    public static ThresholdRule Default => new(MaxF1, 0);

    public override string ToString() => Kind == MaxF1 ? MaxF1 : $"{Kind} {Target.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>
/// The <c>evaluation:</c> section: the threshold rule, the fewest rows a slice needs to be reported, how many quantile
/// bins split a numeric column into slices, and the bootstrap's resample count.
/// </summary>
public sealed record EvaluationSpec(
    ThresholdRule Threshold,
    int MinSliceRows = EvaluationSpec.DefaultMinSliceRows,
    int SliceBins = EvaluationSpec.DefaultSliceBins,
    int Resamples = EvaluationSpec.DefaultResamples)
{
    /// <summary>30 rows: below it a slice's metric is mostly noise (the usual rule of thumb for a normal approximation).</summary>
    public const int DefaultMinSliceRows = 30;
    /// <summary>Quartiles, as fairness and slicing tools commonly bin a continuous attribute.</summary>
    public const int DefaultSliceBins = 4;
    /// <summary>1,000 resamples: percentile intervals at 95 % are stable to about ±0.005 of a proportion (Efron and Tibshirani, 1993).</summary>
    public const int DefaultResamples = 1000;

    public static EvaluationSpec Default => new(ThresholdRule.Default);
}
