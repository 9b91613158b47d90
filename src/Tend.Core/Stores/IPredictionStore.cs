using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>The true label of the prediction a request got.</summary>
public sealed record Feedback(string RequestId, string Label);

/// <summary>Served predictions and the ground truth that comes back for them.</summary>
public interface IPredictionStore
{
    Task AddAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct);

    /// <summary>
    /// Records the true labels of served predictions in one transaction, and returns the request ids no prediction has
    /// (recorded nothing for them). Feedback for a request that has some replaces it: sending the same twice is harmless.
    /// With <paramref name="models"/>, only predictions of those models take feedback; another's request id is unknown.
    /// </summary>
    Task<IReadOnlyList<string>> AddFeedbackAsync(IReadOnlyList<Feedback> feedback, CancellationToken ct, IReadOnlySet<string>? models = null);

    /// <summary>Predictions of a model in [from, to), oldest first, each with its feedback if any.</summary>
    Task<IReadOnlyList<PredictionRecord>> ListAsync(string model, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct);

    /// <summary>
    /// The same predictions read as a stream, one at a time from the database: memory does not grow with the window.
    /// <paramref name="newestFirst"/>: newest first, for a caller that wants the last N.
    /// </summary>
    IAsyncEnumerable<PredictionRecord> StreamAsync(string model, DateTimeOffset? from, DateTimeOffset? to, bool newestFirst, CancellationToken ct);
}
