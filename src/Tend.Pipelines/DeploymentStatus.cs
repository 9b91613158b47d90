using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Profiling;
using Tend.Registry;

namespace Tend.Pipelines;

/// <summary>One route's traffic in the window: which version, how many rows it answered, their share, latency per row, and the requests it rejected (a client's mistake).</summary>
public sealed record RouteTraffic(string Route, int Version, long Rows, double Share, double P50Ms, double P99Ms, long Rejected, double RowsPerSecond)
{
    /// <summary>Rejected requests per request seen (a request may carry several rows, so this is an approximation when batches are sent).</summary>
    public double ErrorRate => Rows + Rejected == 0 ? 0 : (double)Rejected / (Rows + Rejected);
}

/// <summary>
/// How the shadow compares with the primary on the same requests: how many were scored by both, how often they agree,
/// and, on the rows with feedback, each side's accuracy (classification) or MAE (regression).
/// </summary>
public sealed record ShadowComparison(int Version, long Compared, double? Agreement, long WithFeedback, string? Metric, double? Primary, double? Shadow);

/// <summary>A model's deployment and what its routes did in a recent window, from the prediction log.</summary>
public sealed record DeploymentStatus(Deployment Deployment, int? Champion, DateTimeOffset Since, IReadOnlyList<RouteTraffic> Routes, ShadowComparison? Shadow)
{
    /// <summary>The deployment of <paramref name="model"/> and its traffic over the last <paramref name="window"/>.</summary>
    public static async Task<DeploymentStatus> OfAsync(Workspace ws, string model, TimeSpan window, CancellationToken ct)
    {
        var since = ws.Time.GetUtcNow() - window;
        var deployment = await ws.Deployments.GetAsync(model, ct);
        var champion = (await ws.Store.Models.GetAliasAsync(model, ModelRegistry.Champion, ct))?.Version;
        var records = await ws.Store.Predictions.ListAsync(model, since, null, ct);
        var seen = records.Where(r => r.Route != Deployment.ShadowRoute).ToList();
        var answered = seen.Count(r => r.Error is null);
        var seconds = seen.Count < 2 ? 0 : (seen.Max(r => r.Time) - seen.Min(r => r.Time)).TotalSeconds;
        var routes = seen.GroupBy(r => (r.Route, r.Version)).OrderBy(g => g.Key.Route).ThenBy(g => g.Key.Version).Select(g =>
        {
            var rows = g.Where(r => r.Error is null).ToList();
            var latency = rows.Select(r => r.LatencyMs).Order().ToArray();
            return new RouteTraffic(g.Key.Route, g.Key.Version, rows.Count, answered == 0 ? 0 : (double)rows.Count / answered, Quantile(latency, 0.5), Quantile(latency, 0.99),
                g.Count(r => r.Error is not null), seconds > 0 ? rows.Count / seconds : 0);
        }).ToList();
        return new DeploymentStatus(deployment, champion, since, routes, Compare(records, deployment, ws.Spec.Task));
    }

    private static ShadowComparison? Compare(IReadOnlyList<PredictionRecord> records, Deployment deployment, MlTask task)
    {
        var shadows = records.Where(r => r.Route == Deployment.ShadowRoute).ToDictionary(r => r.RequestId);
        if (deployment.Shadow is not { } version && shadows.Count == 0)
            return null;
        var pairs = records.Where(r => r.Route != Deployment.ShadowRoute && r.Error is null && shadows.ContainsKey(r.RequestId + Deployment.ShadowIdSuffix))
            .Select(r => (Primary: r, Shadow: shadows[r.RequestId + Deployment.ShadowIdSuffix])).ToList();
        var labelled = pairs.Where(p => p.Primary.Feedback is not null).ToList();
        double? agreement = pairs.Count == 0 ? null : pairs.Count(p => p.Primary.Prediction == p.Shadow.Prediction) / (double)pairs.Count;
        var shadowVersion = deployment.Shadow ?? shadows.Values.Last().Version;
        if (labelled.Count == 0)
            return new ShadowComparison(shadowVersion, pairs.Count, agreement, 0, null, null, null);
        if (task == MlTask.Regression)
        {
            double Mae(Func<(PredictionRecord Primary, PredictionRecord Shadow), PredictionRecord> side) =>
                labelled.Average(p => Math.Abs(double.Parse(p.Primary.Feedback!, CultureInfo.InvariantCulture) - side(p).Score!.Value));
            return new ShadowComparison(shadowVersion, pairs.Count, agreement, labelled.Count, "mae", Mae(p => p.Primary), Mae(p => p.Shadow));
        }
        return new ShadowComparison(shadowVersion, pairs.Count, agreement, labelled.Count, "accuracy",
            labelled.Average(p => p.Primary.Prediction == p.Primary.Feedback ? 1.0 : 0), labelled.Average(p => p.Shadow.Prediction == p.Primary.Feedback ? 1.0 : 0));
    }

    /// <summary>The nearest-rank q-quantile of sorted values (NaN when none): how latency percentiles are reported.</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[(int)Rank(sorted.Count, q)];

    /// <summary>The nearest-rank q-quantile of a distribution (NaN when empty).</summary>
    internal static double Quantile(Distribution values, double q) =>
        DistributionMath.Count(values) is var n && n == 0 ? double.NaN : DistributionMath.OrderStatistic(values, Rank(n, q));

    /// <summary>The 0-based rank of the nearest-rank q-quantile among <paramref name="n"/> values.</summary>
    private static long Rank(long n, double q) => (long)Math.Min(n - 1, Math.Ceiling(q * n) - 1);
}
