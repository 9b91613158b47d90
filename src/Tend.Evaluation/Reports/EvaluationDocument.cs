using Tend.Core.Domain;
using Tend.Core.Reports;
using Tend.Core.Spec;

namespace Tend.Evaluation.Reports;

/// <summary>
/// The evaluation as a document: the verdict, metrics with their interval, gates, curves, confusion matrix, comparison with
/// the champion, fairness, slices, importance, latency. Shown in the terminal, as a page of its own, in the web UI and in
/// the model card.
/// </summary>
public static class EvaluationDocument
{
    public static Document Of(EvaluationReport r, ProjectSpec spec) => new($"Evaluation of {r.Subject}",
    [
        Verdict(r),
        new Text(spec.StatedPurpose() is { } purpose ? $"{spec.Name}: {purpose}" : $"Project {spec.Name}."),
        new Text($"{r.Rows} rows: {r.RowsNote}."),
    ], Sections(r));

    /// <summary>Whether every gate passed, and if not, which failed and why.</summary>
    public static Text Verdict(EvaluationReport r) => new(r.Passed ? "Passed: every gate passed." : $"Failed: {r.Verdict}.", r.Passed ? Tone.Good : Tone.Bad);

    public static IReadOnlyList<Section> Sections(EvaluationReport r)
    {
        var i = r.Interval;
        List<Block> metrics =
        [
            new Text($"{r.Metric} {N(i.Value)}, 95% bootstrap interval [{N(i.Low)}, {N(i.High)}] ({i.Resamples} resamples, seed {i.Seed})."),
            new Grid(["metric", "value"], r.Metrics.Select(m => new[] { m.Key, N(m.Value) }).ToList()),
        ];
        if (r.Threshold is { } t)
            metrics.Add(new Text($"Operating threshold {N(t.Threshold)} chosen by {t.Rule}: precision {N(t.Precision)}, recall {N(t.Recall)}, F1 {N(t.F1)}, " +
                $"confusion [tn fp; fn tp] = [{string.Join("; ", t.ConfusionMatrix.Select(row => string.Join(" ", row)))}]. {t.Note}".TrimEnd()));
        var sections = new List<Section>
        {
            new("Metrics", metrics),
            new("Gates", [Grid.Of(["gate", "actual", "passed", "why"], r.Gates, g => [g.Gate, N(g.Actual), g.Passed ? "yes" : "NO", g.Reason], g => !g.Passed)]),
        };
        if (r.Curves is { } c)
            sections.Add(new("Curves", [new Figure(
            [
                new LineChart("ROC", "false positive rate", "true positive rate", [new("ROC", "#4e79a7", c.Roc.Select(p => (p.X, p.Y)).ToList())], Diagonal: true),
                new LineChart("Precision–recall", "recall", "precision", [new("PR", "#e15759", c.PrecisionRecall.Select(p => (p.X, p.Y)).ToList())], Diagonal: false),
                new LineChart("Calibration (10 bins)", "mean predicted probability", "fraction of positives", [new("model", "#59a14f", c.Calibration.Select(b => (b.MeanPredicted, b.FractionPositive)).ToList())], Diagonal: true),
            ], new Grid(["calibration bin: mean predicted", "fraction of positives", "rows"], c.Calibration.Select(b => new[] { N(b.MeanPredicted), N(b.FractionPositive), N(b.Count) }).ToList()))]));
        if (r.ConfusionMatrix is { } m && r.Classes is { } classes)
        {
            List<Block> confusion = [new Text("Rows: actual; columns: predicted."), new Grid(["", .. classes], m.Select((row, k) => new[] { classes[k] }.Concat(row.Select(v => N(v))).ToArray()).ToList())];
            if (r.PerClass is { } perClass)
                confusion.Add(new Grid(["class", "precision", "recall", "F1", "support"], perClass.Select(k => new[] { k.Class, N(k.Precision), N(k.Recall), N(k.F1), N(k.Support) }).ToList()));
            sections.Add(new("Confusion matrix", confusion));
        }
        if (r.Residuals is { } res)
            sections.Add(new("Residuals",
            [
                new Text($"Residual = label − prediction: mean {N(res.Mean)}, std {N(res.Std)}, 5% {N(res.P05)}, median {N(res.P50)}, 95% {N(res.P95)}. MAPE left out {r.MapeSkippedZeroLabels} rows whose label is 0."),
                new Figure([new ScatterChart($"Residuals of {res.Points.Count} rows", "prediction", "label − prediction", res.Points.Select(p => (p[0], p[1])).ToList())]),
            ]));
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
                    f.Groups.Select(g => new[] { g.Group, N(g.Rows), N(g.SelectionRate), N(g.TruePositiveRate), N(g.FalsePositiveRate), N(g.Precision), N(g.Accuracy), N(g.MeanError), N(g.MeanAbsoluteError) }).ToList()),
                new Text($"demographic parity difference {N(f.DemographicParityDifference)}, ratio {N(f.DemographicParityRatio)}; equal opportunity difference {N(f.EqualOpportunityDifference)}; equalized odds difference {N(f.EqualizedOddsDifference)}; MAE difference {N(f.MaeDifference)}."),
            ]));
        if (r.Slices.Count > 0)
            sections.Add(new("Slices, worst first", [new Grid(["column", "slice", "rows", r.Metric], r.Slices.Take(20).Select(s => new[] { s.Column, s.Slice, N(s.Rows), N(s.Value) }).ToList())]));
        if (r.Importance.Count > 0)
        {
            var top = r.Importance.Take(15).ToList();
            sections.Add(new("Permutation importance", [new Figure([new BarChart($"drop in {r.Metric} when shuffled", top.Select(f => (f.Feature, f.Importance)).ToList())],
                new Grid(["column", $"drop in {r.Metric} when shuffled"], top.Select(f => new[] { f.Feature, N(f.Importance) }).ToList()))]));
        }
        sections.Add(new("Latency and size", [new Text($"Single-row latency p50 {N(r.Latency.P50Ms)} ms, p99 {N(r.Latency.P99Ms)} ms ({r.Latency.Predictions} predictions); model file {r.ModelBytes / 1024.0:0.#} KiB.")]));
        return sections;
    }


    private static string N(double? value) => Figures.Number(value);
}
