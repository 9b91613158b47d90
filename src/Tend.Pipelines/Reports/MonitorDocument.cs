using Tend.Core.Domain;
using Tend.Core.Reports;

namespace Tend.Pipelines.Reports;

/// <summary>
/// A monitor report as a document: the verdict and its rule, every feature's statistic and verdict, the model's output,
/// performance, data quality and fairness, then each column's distribution, reference against current, drifted columns first.
/// </summary>
public static class MonitorDocument
{
    public static Document Of(MonitorReport r)
    {
        List<Block> summary = [new Text(MonitorSentences.Verdict(r), r.DatasetDrift ? Tone.Bad : Tone.Plain)];
        if (r.PredictionDrift is { } predictions)
            summary.Add(new Text(MonitorSentences.Predictions(predictions), predictions.Drifted ? Tone.Bad : Tone.Plain));
        summary.Add(new Text($"Report {r.Id}, {r.Created:u}."));
        return new Document($"Monitor report: {r.Model}", summary, Sections(r));
    }

    private static List<Section> Sections(MonitorReport r)
    {
        var columns = r.PredictionDrift is { } p ? [p, .. r.Features] : r.Features; // the model's output beside the features
        var sections = new List<Section> { new("Features", [FeatureGrid(columns)]) };
        var more = new List<Block>();
        if (r.Performance is { } live)
            more.Add(new Text(MonitorSentences.Live(live), live.ConceptDrift ? Tone.Bad : Tone.Plain));
        if (r.Estimated is { } e)
            more.Add(new Grid(["metric", "estimated (all rows)", "estimated (labelled rows)", "realized (labelled rows)"],
                e.Estimated.Keys.Select(m => new[] { m, N(e.Estimated[m]), N(e.EstimatedOnLabelled?[m]), N(e.Realized?[m]) }).ToList()));
        if (r.LabelDrift is { } labels)
            more.Add(new Text(MonitorSentences.Labels(labels), labels.Drifted ? Tone.Bad : Tone.Plain));
        if (r.Quality is { } q)
            more.Add(new Text(MonitorSentences.Quality(q)));
        if (more.Count > 0)
            sections.Add(new Section("Performance and quality", more));
        foreach (var f in r.Fairness ?? [])
            sections.Add(new Section($"Fairness by {f.Attribute}", [
                new Text($"Demographic parity difference {N(f.DemographicParityDifference)}, ratio {N(f.DemographicParityRatio)}; on {f.LabelledRows} labelled rows equal opportunity difference {N(f.EqualOpportunityDifference)}, equalized odds difference {N(f.EqualizedOddsDifference)}."),
                new Grid(["group", "rows", "selection rate", "labelled", "TPR", "FPR"], f.Groups.Select(g => new[] { g.Group, N(g.Rows), N(g.SelectionRate), N(g.LabelledRows), N(g.TruePositiveRate), N(g.FalsePositiveRate) }).ToList())]));
        var drawn = Ordered(columns).Where(f => f.Shares is not null)
            .Select(f => (Chart)new PairedBars($"{f.Name}: {f.Statistic} {N(f.Value)}{(f.Drifted ? " — drifted" : "")}", f.Shares!.Bins, f.Shares.Reference, f.Shares.Current)).ToList();
        if (drawn.Count > 0)
            sections.Add(new Section("Distributions, reference against current", [new Figure(drawn)]));
        return sections;
    }

    private static Grid FeatureGrid(IReadOnlyList<FeatureDrift> features) => Grid.Of(
        ["column", "type", "statistic", "value", "p-value", "corrected", "threshold", "drifted", "missing", "unseen"],
        Ordered(features), f =>
        [
            f.Name, f.Type.ToString().ToLowerInvariant(), f.Statistic, N(f.Value), N(f.PValue), N(f.AdjustedPValue), N(f.Threshold), f.Drifted ? "yes" : "no",
            N(f.Details.GetValueOrDefault("missing_share")), f.Details.TryGetValue("unseen_categories", out var u) ? N(u) : "–",
        ], f => f.Drifted);

    /// <summary>Drifted columns first, then by name.</summary>
    private static IEnumerable<FeatureDrift> Ordered(IEnumerable<FeatureDrift> features) =>
        features.OrderByDescending(f => f.Drifted).ThenBy(f => f.Name, StringComparer.Ordinal);

    private static string N(double? value) => Figures.Number(value);

}
