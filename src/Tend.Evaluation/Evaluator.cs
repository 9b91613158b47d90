using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Evaluation.Explanation;
using Tend.Evaluation.Fairness;
using Tend.Evaluation.Gates;
using Tend.Evaluation.Metrics;
using Tend.Evaluation.Reports;
using Tend.Evaluation.Slicing;
using Tend.Evaluation.Uncertainty;
using Tend.Training.Models;

namespace Tend.Evaluation;

/// <summary>What is evaluated: the model and its run, the rows, and where they came from.</summary>
public sealed record EvaluationSubject(string Name, string RunId, IPredictor Model, long ModelBytes, Table Rows, string Data, string RowsNote);

/// <summary>The champion to compare with: its version, its model, and the evaluation rows it did not train on.</summary>
public sealed record ChampionSubject(int Version, IPredictor Model, Table Rows);

/// <summary>Evaluates one model: metrics with an interval, curves, slices, fairness, importance, latency, the champion comparison and the gates.</summary>
public static class Evaluator
{
    /// <summary>At most 300 points per curve are kept in a report: enough to draw it, small to store.</summary>
    public const int CurvePoints = 300;

    public static EvaluationReport Evaluate(EvaluationSubject subject, ProjectSpec spec, ChampionSubject? champion)
    {
        var model = subject.Model;
        var layout = model.Layout;
        var options = spec.EvaluationOrDefault;
        var seed = spec.Split.Seed;
        var metric = spec.Metric.Name;
        if (subject.Rows.Rows.Count == 0)
            throw Core.Errors.TendException.InvalidData($"no rows to evaluate {subject.Name} on: {subject.RowsNote}");
        var scored = ScoredRows.Of(model, subject.Rows);
        var metrics = scored.Metrics();
        var interval = Bootstrap.Of(scored, metric, options.Resamples, seed);

        var comparison = champion is null ? null : Compare(model, champion, spec, options, seed);
        var isNumeric = (string column) => layout.Numeric.Contains(column) || !layout.Features.Contains(column) && IsNumeric(subject.Rows, column);
        var fairness = FairnessAnalysis.Compute(subject.Rows, scored, spec.ProtectedAttributes, isNumeric, options);
        var latency = LatencyProbe.Measure(model, subject.Rows);
        var evidence = new GateEvidence(metrics, comparison, fairness, latency, subject.ModelBytes);
        var binary = scored.Task == MlTask.Binary;
        var curves = binary ? BinaryCurves.Compute(scored.Positive, scored.Probability) : null;
        var threshold = binary ? OperatingPoint.Choose(scored.Positive, scored.Probability, options.Threshold, curves) : null;
        long[][]? confusion = scored.Task == MlTask.Multiclass ? MulticlassMetrics.Confusion(scored.ClassIndex, scored.ClassProbabilities) : threshold?.ConfusionMatrix;
        return new EvaluationReport(subject.Name, subject.RunId, subject.Data, scored.Count, subject.RowsNote, scored.Task, metric, metrics, interval,
            threshold,
            curves is null ? null : curves with { Roc = BinaryCurves.Thin(curves.Roc, CurvePoints), PrecisionRecall = BinaryCurves.Thin(curves.PrecisionRecall, CurvePoints) },
            scored.Task == MlTask.Regression ? null : binary ? [layout.Classes.First(c => c != layout.PositiveClass), layout.PositiveClass!] : layout.Classes,
            confusion,
            scored.Task == MlTask.Multiclass ? MulticlassMetrics.PerClass(confusion!, layout.Classes) : null,
            scored.Task == MlTask.Regression ? Residuals.Of(scored.Label, scored.Predicted) : null,
            scored.Task == MlTask.Regression ? RegressionMetrics.ZeroLabels(scored.Label) : null,
            SliceAnalysis.Compute(subject.Rows, scored, layout, metric, options),
            fairness,
            PermutationImportance.Compute(model, subject.Rows, metric, metrics[metric], seed),
            comparison, latency, subject.ModelBytes,
            GateCheck.Check(evidence, spec.AllGates));
    }

    private static ChampionComparison Compare(IPredictor challenger, ChampionSubject champion, ProjectSpec spec, EvaluationSpec options, int seed)
    {
        if (champion.Rows.Rows.Count == 0)
            throw Core.Errors.TendException.InvalidData($"every evaluation row was in champion v{champion.Version}'s training data; add new rows to compare the models fairly");
        var compared = spec.Gates.Where(g => g.Kind == Gate.ChampionKind).Select(g => g.Metric!).Prepend(spec.Metric.Name);
        return ChampionComparison.Compare(champion.Version, ScoredRows.Of(challenger, champion.Rows), ScoredRows.Of(champion.Model, champion.Rows), compared, options.Resamples, seed);
    }

    /// <summary>A column the model does not use (a protected attribute may be left out of the features) counts as numeric when every present cell is a number.</summary>
    private static bool IsNumeric(Table table, string column)
    {
        var index = table.IndexOf(column);
        if (index < 0)
            throw Core.Errors.TendException.InvalidData($"protected attribute '{column}' (tend.yaml protected_attributes) is not a column of the evaluation data; columns: {string.Join(", ", table.Columns)}");
        return table.Rows.Where(r => r[index] is not null).All(r => Cells.TryNumber(r[index], out _));
    }
}
