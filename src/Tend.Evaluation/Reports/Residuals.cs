using Tend.Data.Profiling;

namespace Tend.Evaluation.Reports;

/// <summary>A regression's residuals (label − prediction): their mean, standard deviation and quantiles, and up to 500 (prediction, residual) points to draw.</summary>
public sealed record Residuals(double Mean, double Std, double P05, double P50, double P95, IReadOnlyList<double[]> Points)
{
    public const int MaxPoints = 500;

    public static Residuals Of(double[] label, double[] predicted)
    {
        var residuals = label.Select((l, i) => l - predicted[i]).ToArray();
        var sorted = residuals.Order().ToList();
        var mean = residuals.Average();
        var step = Math.Max(1, residuals.Length / MaxPoints);
        return new Residuals(mean, Math.Sqrt(residuals.Sum(r => (r - mean) * (r - mean)) / Math.Max(1, residuals.Length - 1)),
            Quantiles.Of(sorted, 0.05), Quantiles.Of(sorted, 0.5), Quantiles.Of(sorted, 0.95),
            Enumerable.Range(0, residuals.Length).Where(i => i % step == 0).Take(MaxPoints).Select(i => new[] { predicted[i], residuals[i] }).ToList());
    }
}
