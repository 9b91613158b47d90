using Tend.Data.Profiling;

namespace Tend.Evaluation.Uncertainty;

/// <summary>
/// Percentile bootstrap intervals (Efron and Tibshirani, 1993): resample the rows with replacement, score each resample,
/// and take the 2.5th and 97.5th percentiles (numpy's linear interpolation). Seeded, so the same rows give the same interval.
/// </summary>
public static class Bootstrap
{
    public const double Confidence = 0.95;

    public static Interval Of(ScoredRows rows, string metric, int resamples, int seed) =>
        Percentiles(metric, rows.Metrics()[metric], Draws(rows.Count, resamples, seed).Select(r => rows.Subset(r).Metrics()[metric]), resamples, seed);

    /// <summary>
    /// The paired bootstrap of challenger minus champion on the same rows: each resample draws the same rows for both, so
    /// what the rows have in common cancels out and the interval is only the models' difference.
    /// </summary>
    public static Interval Difference(ScoredRows challenger, ScoredRows champion, string metric, int resamples, int seed)
    {
        if (challenger.Count != champion.Count)
            throw new ArgumentException("a paired bootstrap needs both models scored on the same rows");
        var value = challenger.Metrics()[metric] - champion.Metrics()[metric];
        return Percentiles(metric, value, Draws(challenger.Count, resamples, seed).Select(r => challenger.Subset(r).Metrics()[metric] - champion.Subset(r).Metrics()[metric]), resamples, seed);
    }

    /// <summary>
    /// The interval of any statistic of <paramref name="rows"/> rows, given the rows drawn (each resample's indexes, called
    /// from several threads at once); a resample it gives no finite value for is counted undefined.
    /// </summary>
    public static Interval Of(string name, int rows, Func<IReadOnlyList<int>, double> statistic, int resamples, int seed) =>
        Percentiles(name, statistic(Enumerable.Range(0, rows).ToArray()), Draws(rows, resamples, seed).Select(statistic), resamples, seed);

    /// <summary>
    /// The resamples' row indexes, each drawn from its own generator whose seed comes in order from <paramref name="seed"/>,
    /// so they never depend on scheduling, and only the resamples being scored are held in memory.
    /// </summary>
    private static IEnumerable<int[]> Draws(int rows, int resamples, int seed)
    {
        var seeds = new Random(seed);
        return Enumerable.Range(0, resamples).Select(_ => seeds.Next()).ToArray().AsParallel().AsOrdered().Select(s =>
        {
            var random = new Random(s);
            var draw = new int[rows];
            for (var i = 0; i < rows; i++)
                draw[i] = random.Next(rows);
            return draw;
        });
    }

    private static Interval Percentiles(string metric, double value, IEnumerable<double> scores, int resamples, int seed)
    {
        var all = scores.ToList();
        var defined = all.Where(double.IsFinite).Order().ToList();
        var tail = (1 - Confidence) / 2;
        return defined.Count == 0
            ? new Interval(metric, value, double.NaN, double.NaN, Confidence, resamples, seed, all.Count)
            : new Interval(metric, value, Quantiles.Of(defined, tail), Quantiles.Of(defined, 1 - tail), Confidence, resamples, seed, all.Count - defined.Count);
    }
}
