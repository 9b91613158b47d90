using Tend.Data.Tabular;
using Tend.Training.Models;

namespace Tend.Evaluation;

/// <summary>The task's metrics of a model on labelled rows (rows without a label left out): what <c>train</c> logs.</summary>
public static class HoldoutEvaluator
{
    public static IReadOnlyDictionary<string, double> Evaluate(IPredictor model, Table holdout) =>
        ScoredRows.Of(model, ScoredRows.LabelledRows(holdout, model.Layout.Label)).Metrics();
}
