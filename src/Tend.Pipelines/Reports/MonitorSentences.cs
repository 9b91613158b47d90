using Tend.Core.Domain;

namespace Tend.Pipelines.Reports;

/// <summary>The sentences of a monitor report, written once for every front end: the CLI, the report's page, the overview.</summary>
public static class MonitorSentences
{
    public static string Verdict(MonitorReport r) =>
        $"{(r.DatasetDrift ? "Dataset drift detected" : "No dataset drift")} by the rule {r.Rule}: {r.Features.Count(f => f.Drifted)} of {r.Features.Count} features drifted; " +
        $"{r.CurrentRows} rows of {r.Current} against {r.ReferenceRows} rows of {r.Reference}.";

    public static string Predictions(FeatureDrift d) =>
        $"Predictions {(d.Drifted ? "drifted" : "did not drift")}: {d.Statistic} {N(d.Value)}{(d.AdjustedPValue is { } p ? $", corrected p {N(p)}" : "")} " +
        $"against the champion's predictions on the reference (threshold {N(d.Threshold)}).";

    public static string Live(LivePerformance live) =>
        $"Live {live.Metric}: {N(live.Value)} (95 % interval {N(live.Low)} to {N(live.High)}) on {live.RowsWithFeedback} rows with feedback" +
        $"{(live.Evaluated is { } e ? $"; evaluated {N(e)}" : "")}.{(live.ConceptDrift ? " Concept drift: worse than evaluated beyond chance." : "")}";

    public static string Labels(FeatureDrift labels) =>
        $"Labels {(labels.Drifted ? "drifted" : "did not drift")}: {labels.Statistic} {N(labels.Value)}{(labels.PValue is { } p ? $", p {N(p)}" : "")} against the reference's labels.";

    public static string Quality(RequestQuality q) =>
        $"Requests: {q.Requests}, of which {q.Rejected} were refused ({Figures.Percent(q.RejectedShare)})" +
        $"{(q.RejectedByField.Count > 0 ? ": " + string.Join(", ", q.RejectedByField.Select(f => $"{f.Key} {f.Value}")) : "")}.";

    private static string N(double? value) => Figures.Number(value);
}
