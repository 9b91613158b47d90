namespace Tend.Core.Domain;

/// <summary>
/// One served prediction, joined later with its ground truth by <see cref="RequestId"/> (the <see cref="Feedback"/>
/// label, received at <see cref="FeedbackTime"/>); or one request that reached the model and failed, with no prediction
/// and the <see cref="Error"/> it failed with (the client's mistake it was answered with, or the server's failure).
/// </summary>
public sealed record PredictionRecord(
    string RequestId,
    DateTimeOffset Time,
    string Model,
    int Version,
    string Route,
    FeatureRow Features,
    string Prediction,
    double? Score,
    double LatencyMs,
    string? Feedback = null,
    string? Error = null,
    DateTimeOffset? FeedbackTime = null)
{
    /// <summary>A failed request's record: when, for which model and route, and why.</summary>
    public static PredictionRecord Rejected(string requestId, DateTimeOffset time, string model, int version, string route, string error) =>
        new(requestId, time, model, version, route, FeatureRow.None, "", null, 0, Error: error);
}
