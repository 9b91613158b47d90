namespace Tend.Monitoring.Statistics;

/// <summary>The distribution tails the drift tests need: chi-square and the normal (regularized upper incomplete gamma) and Kolmogorov.</summary>
public static class SpecialFunctions
{
    /// <summary>ln Γ(x) by the Lanczos approximation (g = 7, n = 9), accurate to about 1e-15 for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        ReadOnlySpan<double> c =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var sum = c[0];
        for (var i = 1; i < 9; i++)
            sum += c[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, a continued fraction above (Numerical Recipes §6.2).</summary>
    public static double UpperRegularizedGamma(double a, double x)
    {
        if (x <= 0) return 1;
        var logPrefix = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            double term = 1 / a, sum = term;
            for (var n = 1; n < 10_000 && Math.Abs(term) > Math.Abs(sum) * 1e-16; n++)
            {
                term *= x / (a + n);
                sum += term;
            }
            return Math.Max(0, 1 - sum * Math.Exp(logPrefix));
        }
        const double tiny = 1e-300;
        double b = x + 1 - a, cc = 1 / tiny, d = 1 / b, h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            cc = b + an / cc;
            if (Math.Abs(cc) < tiny) cc = tiny;
            d = 1 / d;
            var delta = d * cc;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(logPrefix) * h;
    }

    /// <summary>P(χ²_k ≥ x), as scipy.stats.chi2.sf.</summary>
    public static double ChiSquareSurvival(double x, int degreesOfFreedom) => UpperRegularizedGamma(degreesOfFreedom / 2.0, x / 2);

    /// <summary>P(|Z| ≥ |z|) for a standard normal Z: erfc(|z| / √2) = Q(½, z² / 2), as 2 · scipy.stats.norm.sf(|z|).</summary>
    public static double NormalTwoSided(double z) => z == 0 ? 1 : UpperRegularizedGamma(0.5, z * z / 2);

    /// <summary>P(K ≥ y) for the Kolmogorov distribution: 2 Σ (-1)^(k-1) exp(-2k²y²), as scipy.special.kolmogorov / stats.kstwobign.sf.</summary>
    public static double KolmogorovSurvival(double y)
    {
        if (y <= 0) return 1;
        if (y < 1)
        {
            // The alternating series converges slowly for small y; use the Jacobi form of the CDF instead.
            double cdf = 0;
            for (var k = 1; k <= 20; k++)
                cdf += Math.Exp(-(2 * k - 1) * (2 * k - 1) * Math.PI * Math.PI / (8 * y * y));
            return Math.Clamp(1 - Math.Sqrt(2 * Math.PI) / y * cdf, 0, 1);
        }
        double sum = 0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * y * y);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-18) break;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }
}
