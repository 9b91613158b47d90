namespace Tend.Core.Domain;

/// <summary>
/// Values of one metric, column-wise: value i was logged at <see cref="Steps"/>[i] and <see cref="Timestamps"/>[i]
/// (Unix milliseconds). The shape the SDK sends and the store appends, without an object a point.
/// </summary>
public sealed record MetricBatch(string Key, IReadOnlyList<double> Values, IReadOnlyList<long> Steps, IReadOnlyList<long> Timestamps)
{
    public int Count => Values.Count;

    /// <summary>An error naming the key when the columns differ in length, or the key is empty or too long.</summary>
    public string? Problem() =>
        string.IsNullOrEmpty(Key) ? "a metric needs a key"
        : Key.Length > TextLimit.Key ? $"a metric key ({TextLimit.Excerpt(Key)}) {TextLimit.TooLong(Key, TextLimit.Key)}"
        : Steps.Count != Values.Count || Timestamps.Count != Values.Count
            ? $"metric '{Key}': values, steps and timestamps must have the same length, got {Values.Count}, {Steps.Count} and {Timestamps.Count}"
            : null;
}

/// <summary>
/// A metric's history for a chart: every point when there are at most the asked number, else one point a step range,
/// with the range's mean as <see cref="MetricPoint.Value"/> and its extremes (so spikes stay visible).
/// </summary>
public sealed record MetricHistory(string Key, long Count, bool Downsampled, IReadOnlyList<MetricPoint> Points);

public sealed record MetricPoint(long Step, double Value, double Min, double Max, long Timestamp);
