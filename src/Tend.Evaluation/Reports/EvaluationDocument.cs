using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Spec;
using static Tend.Evaluation.Reports.Svg;

namespace Tend.Evaluation.Reports;

/// <summary>
/// The evaluation as report sections: metrics with their interval, gates, curves, confusion matrix, comparison with the
/// champion, fairness, slices, importance, latency. Rendered as one self-contained HTML page (charts inline as SVG,
/// styles inline, nothing fetched), embedded in the web UI and in the model card.
/// </summary>
public static class EvaluationDocument
{
    public static string Page(EvaluationReport r, ProjectSpec spec) =>
        Document.Page($"Evaluation of {r.Subject}",
            $"<h1>Evaluation of {E(r.Subject)} — {(r.Passed ? "<span class='pass'>passed</span>" : "<span class='fail'>failed</span>")}</h1>" +
            $"<p>{E(spec.Name)}: {E(spec.Description)}</p><p>{r.Rows} rows: {E(r.RowsNote)}.</p>",
            Body(r));

    /// <summary>The sections as HTML without the page around them, for the web UI to embed.</summary>
    public static string Body(EvaluationReport r) => Document.Html(Sections(r));

    public static IReadOnlyList<Section> Sections(EvaluationReport r)
    {
        var i = r.Interval;
        List<Block> metrics =
        [
            new Text($"{r.Metric} {N(i.Value)}, 95% bootstrap interval [{N(i.Low)}, {N(i.High)}] ({i.Resamples} resamples, seed {i.Seed})."),
            new Grid(["metric", "value"], r.Metrics.Select(m => new[] { m.Key, N(m.Value) }).ToList()),
        ];
        if (r.Threshold is { } t)
            metrics.Add(new Text($"Operating threshold {N(t.Threshold)} chosen by {t.Rule}: precision {N(t.Precision)}, recall {N(t.Recall)}, F1 {N(t.F1)}. {t.Note}"));
        var sections = new List<Section>
        {
            new("Metrics", metrics),
            new("Gates", [new Grid(["gate", "actual", "passed", "why"], r.Gates.Select(g => new[] { g.Gate, g.Actual is { } a ? N(a) : "–", g.Passed ? "yes" : "NO", g.Reason }).ToList())]),
        };
        if (r.Curves is { } c)
            sections.Add(new("Curves", [new Figure(
            [
                Lines("ROC", "false positive rate", "true positive rate", [("ROC", "#4e79a7", c.Roc.Select(p => (p.X, p.Y)).ToList())], diagonal: true),
                Lines("Precision–recall", "recall", "precision", [("PR", "#e15759", c.PrecisionRecall.Select(p => (p.X, p.Y)).ToList())], diagonal: false),
                Lines("Calibration (10 bins)", "mean predicted probability", "fraction of positives", [("model", "#59a14f", c.Calibration.Select(b => (b.MeanPredicted, b.FractionPositive)).ToList())], diagonal: true),
            ], new Grid(["calibration bin: mean predicted", "fraction of positives", "rows"], c.Calibration.Select(b => new[] { N(b.MeanPredicted), N(b.FractionPositive), Count(b.Count) }).ToList()))]));
        if (r.ConfusionMatrix is { } m && r.Classes is { } classes)
        {
            List<Block> confusion = [new Text("Rows: actual; columns: predicted."), new Grid(["", .. classes], m.Select((row, k) => new[] { classes[k] }.Concat(row.Select(v => Count(v))).ToArray()).ToList())];
            if (r.PerClass is { } perClass)
                confusion.Add(new Grid(["class", "precision", "recall", "F1", "support"], perClass.Select(k => new[] { k.Class, N(k.Precision), N(k.Recall), N(k.F1), Count(k.Support) }).ToList()));
            sections.Add(new("Confusion matrix", confusion));
        }
        if (r.Residuals is { } res)
            sections.Add(new("Residuals", [new Text($"mean {N(res.Mean)}, std {N(res.Std)}, 5% {N(res.P05)}, median {N(res.P50)}, 95% {N(res.P95)}. MAPE left out {r.MapeSkippedZeroLabels} rows whose label is 0.")]));
        if (r.Champion is { } champion)
        {
            List<Block> against =
            [
                new Text($"On the {champion.Rows} rows neither model trained on; the interval is the paired bootstrap of the difference."),
                new Grid(["metric", "this model", "champion", "difference", "95% interval", "significantly better"],
                    champion.Metrics.Select(x => new[] { x.Metric, N(x.Challenger), N(x.Champion), N(x.Difference.Value), $"[{N(x.Difference.Low)}, {N(x.Difference.High)}]", x.SignificantlyBetter ? "yes" : "no" }).ToList()),
            ];
            if (champion.McNemar is { } mc)
                against.Add(new Text($"McNemar's exact test: {mc.OnlyFirst} rows only this model gets right, {mc.OnlySecond} only the champion; p = {N(mc.PValue)}."));
            sections.Add(new($"Against champion v{champion.Version}", against));
        }
        foreach (var (attribute, f) in r.Fairness)
            sections.Add(new($"Fairness by {attribute}",
            [
                new Grid(["group", "rows", "selection rate", "TPR", "FPR", "precision", "accuracy", "mean error", "MAE"],
                    f.Groups.Select(g => new[] { g.Group, Count(g.Rows), N(g.SelectionRate), N(g.TruePositiveRate), N(g.FalsePositiveRate), N(g.Precision), N(g.Accuracy), N(g.MeanError), N(g.MeanAbsoluteError) }).ToList()),
                new Text($"demographic parity difference {N(f.DemographicParityDifference)}, ratio {N(f.DemographicParityRatio)}; equal opportunity difference {N(f.EqualOpportunityDifference)}; equalized odds difference {N(f.EqualizedOddsDifference)}; MAE difference {N(f.MaeDifference)}."),
            ]));
        if (r.Slices.Count > 0)
            sections.Add(new("Slices, worst first", [new Grid(["column", "slice", "rows", r.Metric], r.Slices.Take(20).Select(s => new[] { s.Column, s.Slice, Count(s.Rows), N(s.Value) }).ToList())]));
        if (r.Importance.Count > 0)
        {
            var top = r.Importance.Take(15).ToList();
            sections.Add(new("Permutation importance", [new Figure([Bars($"drop in {r.Metric} when shuffled", top.Select(f => (f.Feature, f.Importance)).ToList())],
                new Grid(["column", $"drop in {r.Metric} when shuffled"], top.Select(f => new[] { f.Feature, N(f.Importance) }).ToList()))]));
        }
        sections.Add(new("Latency and size", [new Text($"Single-row latency p50 {N(r.Latency.P50Ms)} ms, p99 {N(r.Latency.P99Ms)} ms ({r.Latency.Predictions} predictions); model file {r.ModelBytes / 1024.0:0.#} KiB.")]));
        return sections;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string N(double? value) => Figures.Number(value);
}
