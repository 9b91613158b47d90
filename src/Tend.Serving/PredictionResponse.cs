using System.Text.Json.Serialization;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>The answer to a predict request: which version answered, by which route (primary, canary, pinned), and one prediction per row.</summary>
public sealed record PredictionResponse(string Model, int Version, string Route, IReadOnlyList<RowPrediction> Predictions)
{
    /// <summary>The signature of the version that answered, for protocols that shape their answer by it; not sent.</summary>
    [JsonIgnore]
    public Training.Features.FeatureLayout Layout { get; init; } = null!;
}

/// <summary>
/// One row's prediction: a class's label (a text), or a regression's number, which is also its <see cref="Score"/>.
/// <see cref="RequestId"/> is what feedback names.
/// </summary>
public sealed record RowPrediction(string RequestId, object Prediction, double Score, IReadOnlyDictionary<string, double>? Probabilities)
{
    /// <summary>With <c>?explain=true</c>: each input column's contribution to <see cref="Score"/>'s raw score, largest first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ColumnContribution>? Contributions { get; init; }
}
