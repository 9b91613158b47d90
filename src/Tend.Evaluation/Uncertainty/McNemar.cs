namespace Tend.Evaluation.Uncertainty;

/// <summary>
/// McNemar's exact test of two classifiers on the same rows: of the rows exactly one gets right, is either more likely
/// to be the one? <see cref="OnlyFirst"/> and <see cref="OnlySecond"/> count them; the p-value is the two-sided binomial
/// test of OnlyFirst out of both at 1/2, as scipy.stats.binomtest (and statsmodels' mcnemar with exact=True).
/// </summary>
public sealed record McNemar(long OnlyFirst, long OnlySecond, double PValue)
{
    public static McNemar Test(IReadOnlyList<bool> firstCorrect, IReadOnlyList<bool> secondCorrect)
    {
        long onlyFirst = 0, onlySecond = 0;
        for (var i = 0; i < firstCorrect.Count; i++)
            if (firstCorrect[i] != secondCorrect[i])
                if (firstCorrect[i]) onlyFirst++; else onlySecond++;
        return new McNemar(onlyFirst, onlySecond, TwoSidedBinomial(Math.Min(onlyFirst, onlySecond), onlyFirst + onlySecond));
    }

    /// <summary>P(X ≤ k) + P(X ≥ n − k) for X ~ Binomial(n, 1/2), summed in log space so large n cannot underflow.</summary>
    public static double TwoSidedBinomial(long k, long n)
    {
        if (n == 0 || 2 * k >= n)
            return 1;
        double logChoose = 0, logSum = double.NegativeInfinity;
        for (long i = 0; i <= k; i++)
        {
            if (i > 0) logChoose += Math.Log(n - i + 1) - Math.Log(i);
            var term = logChoose - n * Math.Log(2);
            logSum = Math.Max(logSum, term) + double.LogP1(Math.Exp(-Math.Abs(logSum - term)));
        }
        return Math.Min(1, 2 * Math.Exp(logSum));
    }
}
