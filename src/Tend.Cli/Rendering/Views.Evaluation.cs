using Spectre.Console;
using Tend.Evaluation;

namespace Tend.Cli.Rendering;

internal static partial class Views
{
    public static void Evaluation(IAnsiConsole o, EvaluationReport r)
    {
        var i = r.Interval;
        o.MarkupLineInterpolated($"[bold]{r.Subject}[/] on {r.Rows} rows: {r.RowsNote}");
        o.MarkupLineInterpolated($"{r.Metric} {Format.Number(i.Value)}  (95% bootstrap interval {Format.Number(i.Low)} – {Format.Number(i.High)}, {i.Resamples} resamples)");
        o.MarkupLineInterpolated($"{Format.Metrics(r.Metrics)}");
        if (r.Threshold is { } t)
        {
            var matrix = $"[tn fp; fn tp] = [{string.Join("; ", t.ConfusionMatrix.Select(row => string.Join(" ", row)))}]";
            o.MarkupLineInterpolated($"threshold {Format.Number(t.Threshold)} by {t.Rule}: precision {Format.Number(t.Precision)}, recall {Format.Number(t.Recall)}, F1 {Format.Number(t.F1)}; confusion {matrix} {t.Note}");
        }
        if (r.Champion is { } c)
        {
            var table = new Table().Title($"vs champion v{c.Version} on {c.Rows} rows neither trained on").AddColumns("metric", "new", "champion", "difference", "95% interval", "significantly better");
            foreach (var m in c.Metrics)
                table.AddRow(m.Metric, Format.Number(m.Challenger), Format.Number(m.Champion), Format.Number(m.Difference.Value),
                    $"{Format.Number(m.Difference.Low)} – {Format.Number(m.Difference.High)}", m.SignificantlyBetter ? "yes" : "no");
            o.Write(table);
            if (c.McNemar is { } mc)
                o.MarkupLineInterpolated($"McNemar: {mc.OnlyFirst} rows only the new model gets right, {mc.OnlySecond} only the champion; p = {Format.Number(mc.PValue)}");
        }
        foreach (var (attribute, f) in r.Fairness)
        {
            var table = new Table().Title($"fairness by {attribute}").AddColumns("group", "rows", "selection rate", "TPR", "FPR", "precision", "accuracy", "MAE");
            foreach (var g in f.Groups)
                table.AddRow(Markup.Escape(g.Group), g.Rows.ToString(), N(g.SelectionRate), N(g.TruePositiveRate), N(g.FalsePositiveRate), N(g.Precision), N(g.Accuracy), N(g.MeanAbsoluteError));
            o.Write(table);
            o.MarkupLineInterpolated($"demographic parity difference {N(f.DemographicParityDifference)}, ratio {N(f.DemographicParityRatio)}; equal opportunity difference {N(f.EqualOpportunityDifference)}; equalized odds difference {N(f.EqualizedOddsDifference)}");
        }
        if (r.Slices.Count > 0)
        {
            var table = new Table().Title("worst slices").AddColumns("column", "slice", "rows", r.Metric);
            foreach (var s in r.Slices.Take(5))
                table.AddRow(Markup.Escape(s.Column), Markup.Escape(s.Slice), s.Rows.ToString(), Format.Number(s.Value));
            o.Write(table);
        }
        o.MarkupLineInterpolated($"most important: {string.Join(", ", r.Importance.Take(5).Select(f => $"{f.Feature} {Format.Number(f.Importance)}"))}");
        o.MarkupLineInterpolated($"single-row latency p50 {Format.Number(r.Latency.P50Ms)} ms, p99 {Format.Number(r.Latency.P99Ms)} ms; model {r.ModelBytes / 1024.0:0.#} KiB");
        var gates = new Table().AddColumns("gate", "actual", "passed", "why");
        foreach (var g in r.Gates)
            gates.AddRow(Markup.Escape(g.Gate), g.Actual is { } a ? Format.Number(a) : "–", g.Passed ? "[green]yes[/]" : "[red]no[/]", Markup.Escape(g.Reason));
        o.Write(gates);
    }
}
