using System.Globalization;
using System.Text;
using Tend.Core.Spec;
using static Tend.Evaluation.Reports.Svg;

namespace Tend.Evaluation.Reports;

/// <summary>The evaluation as one self-contained HTML page: charts inline as SVG, styles inline, nothing fetched.</summary>
public static class EvaluationHtml
{
    public static string Render(EvaluationReport r, ProjectSpec spec)
    {
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Evaluation of {E(r.Subject)}</title><style>{Style}</style></head><body>");
        html.Append($"<h1>Evaluation of {E(r.Subject)} — {(r.Passed ? "<span class='pass'>passed</span>" : "<span class='fail'>failed</span>")}</h1>");
        html.Append($"<p>{E(spec.Name)}: {E(spec.Description)}</p><p>{r.Rows} rows: {E(r.RowsNote)}.</p>");
        html.Append(Body(r));
        return html.Append("</body></html>").ToString();
    }

    /// <summary>The report's sections without the page around them, for the model card and the web UI to embed.</summary>
    public static string Body(EvaluationReport r)
    {
        var html = new StringBuilder();
        var i = r.Interval;
        html.Append($"<h2>Metrics</h2><p><b>{E(r.Metric)} {N(i.Value)}</b>, 95% bootstrap interval [{N(i.Low)}, {N(i.High)}] ({i.Resamples} resamples, seed {i.Seed}).</p>");
        html.Append(Table(["metric", "value"], r.Metrics.Select(m => new[] { m.Key, N(m.Value) })));
        html.Append("<h2>Gates</h2>").Append(Table(["gate", "actual", "passed", "why"],
            r.Gates.Select(g => new[] { g.Gate, g.Actual is { } a ? N(a) : "–", g.Passed ? "yes" : "NO", g.Reason })));
        if (r.Curves is { } c)
        {
            html.Append("<h2>Curves</h2><div class='charts'>");
            html.Append(Lines("ROC", "false positive rate", "true positive rate", [("ROC", "#4e79a7", c.Roc.Select(p => (p.X, p.Y)).ToList())], diagonal: true));
            html.Append(Lines("Precision–recall", "recall", "precision", [("PR", "#e15759", c.PrecisionRecall.Select(p => (p.X, p.Y)).ToList())], diagonal: false));
            html.Append(Lines("Calibration (10 bins)", "mean predicted probability", "fraction of positives", [("model", "#59a14f", c.Calibration.Select(b => (b.MeanPredicted, b.FractionPositive)).ToList())], diagonal: true));
            html.Append("</div>");
        }
        if (r.Threshold is { } t)
            html.Append($"<p>Operating threshold {N(t.Threshold)} chosen by {E(t.Rule)}: precision {N(t.Precision)}, recall {N(t.Recall)}, F1 {N(t.F1)}. {E(t.Note)}</p>");
        if (r.ConfusionMatrix is { } m && r.Classes is { } classes)
            html.Append("<h2>Confusion matrix</h2><p>Rows: actual; columns: predicted.</p>").Append(Table(["", .. classes], m.Select((row, k) => new[] { classes[k] }.Concat(row.Select(v => v.ToString(CultureInfo.InvariantCulture))).ToArray())));
        if (r.PerClass is { } perClass)
            html.Append(Table(["class", "precision", "recall", "F1", "support"], perClass.Select(k => new[] { k.Class, N(k.Precision), N(k.Recall), N(k.F1), k.Support.ToString(CultureInfo.InvariantCulture) })));
        if (r.Residuals is { } res)
            html.Append($"<h2>Residuals</h2><p>mean {N(res.Mean)}, std {N(res.Std)}, 5% {N(res.P05)}, median {N(res.P50)}, 95% {N(res.P95)}. MAPE left out {r.MapeSkippedZeroLabels} rows whose label is 0.</p>");
        if (r.Champion is { } champion)
        {
            html.Append($"<h2>Against champion v{champion.Version}</h2><p>On the {champion.Rows} rows neither model trained on; the interval is the paired bootstrap of the difference.</p>");
            html.Append(Table(["metric", "this model", "champion", "difference", "95% interval", "significantly better"],
                champion.Metrics.Select(x => new[] { x.Metric, N(x.Challenger), N(x.Champion), N(x.Difference.Value), $"[{N(x.Difference.Low)}, {N(x.Difference.High)}]", x.SignificantlyBetter ? "yes" : "no" })));
            if (champion.McNemar is { } mc)
                html.Append($"<p>McNemar's exact test: {mc.OnlyFirst} rows only this model gets right, {mc.OnlySecond} only the champion; p = {N(mc.PValue)}.</p>");
        }
        foreach (var (attribute, f) in r.Fairness)
        {
            html.Append($"<h2>Fairness by {E(attribute)}</h2>");
            html.Append(Table(["group", "rows", "selection rate", "TPR", "FPR", "precision", "accuracy", "mean error", "MAE"],
                f.Groups.Select(g => new[] { g.Group, g.Rows.ToString(CultureInfo.InvariantCulture), N(g.SelectionRate), N(g.TruePositiveRate), N(g.FalsePositiveRate), N(g.Precision), N(g.Accuracy), N(g.MeanError), N(g.MeanAbsoluteError) })));
            html.Append($"<p>demographic parity difference {N(f.DemographicParityDifference)}, ratio {N(f.DemographicParityRatio)}; equal opportunity difference {N(f.EqualOpportunityDifference)}; equalized odds difference {N(f.EqualizedOddsDifference)}; MAE difference {N(f.MaeDifference)}.</p>");
        }
        if (r.Slices.Count > 0)
            html.Append($"<h2>Slices, worst first</h2>").Append(Table(["column", "slice", "rows", r.Metric], r.Slices.Take(20).Select(s => new[] { s.Column, s.Slice, s.Rows.ToString(CultureInfo.InvariantCulture), N(s.Value) })));
        if (r.Importance.Count > 0)
            html.Append("<h2>Permutation importance</h2>").Append(Bars($"drop in {r.Metric} when shuffled", r.Importance.Take(15).Select(f => (f.Feature, f.Importance)).ToList()));
        html.Append($"<p>Single-row latency p50 {N(r.Latency.P50Ms)} ms, p99 {N(r.Latency.P99Ms)} ms ({r.Latency.Predictions} predictions); model file {r.ModelBytes / 1024.0:0.#} KiB.</p>");
        return html.ToString();
    }

    private static string Table(IEnumerable<string> header, IEnumerable<string[]> rows) =>
        $"<table><tr>{string.Concat(header.Select(h => $"<th>{E(h)}</th>"))}</tr>{string.Concat(rows.Select(r => $"<tr>{string.Concat(r.Select(c => $"<td>{E(c)}</td>"))}</tr>"))}</table>";

    private static string N(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString(Math.Abs(v) < 1e-4 && v != 0 ? "0.##E+0" : "0.####", CultureInfo.InvariantCulture) : "–";

    public const string Style = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}table{border-collapse:collapse;margin:.5em 0}" +
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}.pass{color:#2a7}.fail{color:#c33}" +
        ".charts{display:flex;flex-wrap:wrap;gap:1em}";
}
