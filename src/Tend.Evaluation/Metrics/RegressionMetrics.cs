namespace Tend.Evaluation.Metrics;

/// <summary>
/// Regression metrics as scikit-learn defines them: root of mean_squared_error, mean_absolute_error, r2_score, and
/// mean_absolute_percentage_error over the rows whose label is not 0 (a 0 label has no percentage error; scikit-learn
/// would divide by 2.2e-16 instead). NaN where no row qualifies.
/// </summary>
public static class RegressionMetrics
{
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var mean = actual.Average();
        double squared = 0, absolute = 0, total = 0, percentage = 0;
        var nonZero = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var error = actual[i] - predicted[i];
            squared += error * error;
            absolute += Math.Abs(error);
            total += (actual[i] - mean) * (actual[i] - mean);
            if (actual[i] != 0) { percentage += Math.Abs(error) / Math.Abs(actual[i]); nonZero++; }
        }
        return new Dictionary<string, double>
        {
            ["rmse"] = Math.Sqrt(squared / actual.Count),
            ["mae"] = absolute / actual.Count,
            ["r2"] = total == 0 ? double.NaN : 1 - squared / total,
            ["mape"] = nonZero == 0 ? double.NaN : percentage / nonZero,
        };
    }

    /// <summary>How many rows MAPE left out because their label is 0.</summary>
    public static int ZeroLabels(IReadOnlyList<double> actual) => actual.Count(a => a == 0);
}
