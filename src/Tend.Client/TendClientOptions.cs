namespace Tend.Client;

/// <summary>How the SDK batches and retries.</summary>
public sealed record TendClientOptions
{
    /// <summary>Metric values sent in one request at most; a full batch is sent at once, without waiting for <see cref="FlushInterval"/>.</summary>
    public int BatchSize { get; init; } = 20_000;

    /// <summary>How long logged values wait before they are sent anyway.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The first wait after a transient failure (no connection, 408, 429, 5xx); it doubles on each retry, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a request keeps being retried before its failure is reported (by the next flush or end).</summary>
    public TimeSpan RetryFor { get; init; } = TimeSpan.FromMinutes(5);
}
