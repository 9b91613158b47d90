using Tend.Core.Spec;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>
/// The columns a prediction is written as where rows are records (batch scoring, MLflow's answer): <c>prediction</c>,
/// and <c>probability</c> (binary: the positive class's) or <c>probability_CLASS</c> per class (multiclass).
/// </summary>
public static class OutputColumns
{
    public const string Prediction = "prediction";
    public const string Probability = "probability";

    public static IReadOnlyList<string> Of(FeatureLayout layout) => layout.Task switch
    {
        MlTask.Binary => [Prediction, Probability],
        MlTask.Multiclass => [Prediction, .. layout.Classes.Select(c => $"{Probability}_{c}")],
        _ => [Prediction],
    };
}
