using Tend.Core.Domain;
using Tend.Core.Spec;

namespace Tend.Monitoring.Drift;

/// <summary>
/// Whether the dataset drifted, and by which rule. Every test's p-value (the features', and the model output's when it
/// is known) is corrected for testing them all at once by the weighted Benjamini–Hochberg procedure (Genovese, Roeder
/// and Wasserman, 2006), which keeps the expected share of false discoveries at the significance level; the model's
/// output carries half the total weight, the features share the other half. The rules, in order:
/// <list type="number">
/// <item><c>prediction_drift</c>: the model's output drifted. It is what users see, so it decides first.</item>
/// <item><c>benjamini_hochberg</c>: a feature's corrected p-value is at or below the level. When nothing changed
/// this happens with probability at most the level (Simes' global test), so one column is not noise.</item>
/// <item><c>distance</c>: a feature's distance (the default above 10,000 rows) reached its threshold, which is an
/// effect size: a shift that large is not sampling noise at those sizes.</item>
/// </list>
/// The two feature rules also need at least the monitor's <see cref="MonitorSpec.DriftShare"/> of the features to have
/// drifted (default 0: one is enough; 0.5 is Evidently's rule). Otherwise the rule is <c>none</c>.
/// </summary>
public static class DatasetDrift
{
    public const string PredictionRule = "prediction_drift", CorrectedTestRule = "benjamini_hochberg", DistanceRule = "distance", NoRule = "none";

    /// <summary>The features and the prediction with their tests corrected, the dataset's verdict, its rule and the share of drifted features.</summary>
    public sealed record Verdict(IReadOnlyList<FeatureDrift> Features, FeatureDrift? Prediction, bool Drifted, string Rule, double Share);

    public static Verdict Judge(IReadOnlyList<FeatureDrift> features, FeatureDrift? prediction, MonitorSpec settings)
    {
        var tests = features.Where(f => f.PValue is not null).ToList();
        var predictionTested = prediction?.PValue is not null;
        var m = tests.Count + (predictionTested ? 1 : 0);
        var featureWeight = predictionTested && tests.Count > 0 ? m / 2.0 / tests.Count : 1;
        var weights = tests.Select(_ => featureWeight).ToList();
        var pValues = tests.Select(f => f.PValue!.Value).ToList();
        if (predictionTested)
        {
            weights.Add(tests.Count > 0 ? m / 2.0 : 1);
            pValues.Add(prediction!.PValue!.Value);
        }
        var adjusted = WeightedBenjaminiHochberg(pValues, weights);
        var corrected = features.Select(f => f.PValue is null ? f : Corrected(f, adjusted[tests.IndexOf(f)])).ToList();
        var predictionVerdict = predictionTested ? Corrected(prediction!, adjusted[^1]) : prediction;
        var share = corrected.Count == 0 ? 0 : (double)corrected.Count(f => f.Drifted) / corrected.Count;
        var enough = share > 0 && share >= settings.DriftShare;
        var rule = predictionVerdict?.Drifted == true ? PredictionRule
            : enough && corrected.Any(f => f.AdjustedPValue is not null && f.Drifted) ? CorrectedTestRule
            : enough ? DistanceRule
            : NoRule;
        return new Verdict(corrected, predictionVerdict, rule != NoRule, rule, share);
    }

    private static FeatureDrift Corrected(FeatureDrift f, double adjusted) => f with { AdjustedPValue = adjusted, Drifted = adjusted <= f.Threshold };

    /// <summary>
    /// Benjamini–Hochberg adjusted p-values of p / w (weights averaging 1): for the k-th smallest, the least of
    /// m / j · (p / w)_(j) over j ≥ k, at most 1. With equal weights this is statsmodels' multipletests(method="fdr_bh").
    /// </summary>
    public static double[] WeightedBenjaminiHochberg(IReadOnlyList<double> pValues, IReadOnlyList<double> weights)
    {
        var m = pValues.Count;
        var q = pValues.Select((p, i) => Math.Min(1, p / weights[i])).ToArray();
        var order = Enumerable.Range(0, m).OrderBy(i => q[i]).ToArray();
        var adjusted = new double[m];
        var least = 1.0;
        for (var k = m - 1; k >= 0; k--)
        {
            least = Math.Min(least, q[order[k]] * m / (k + 1));
            adjusted[order[k]] = least;
        }
        return adjusted;
    }
}
