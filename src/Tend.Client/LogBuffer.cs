namespace Tend.Client;

/// <summary>
/// What the training loop logged since the last send, column-wise a metric (no object a value), taken whole by the
/// sender. Logging only appends under a short lock: it never waits for the network.
/// </summary>
internal sealed class LogBuffer
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Series> _metrics = new(StringComparer.Ordinal);
    private Dictionary<string, string> _params = new(StringComparer.Ordinal);
    private Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private int _count;

    public int Count
    {
        get { lock (_gate) return _count + _params.Count + _tags.Count; }
    }

    /// <summary>Adds a value; true when the buffer just reached <paramref name="batchSize"/> values.</summary>
    public bool AddMetric(string key, double value, long step, long timestamp, int batchSize)
    {
        lock (_gate)
        {
            if (!_metrics.TryGetValue(key, out var series))
                _metrics[key] = series = new Series();
            series.Values.Add(value);
            series.Steps.Add(step);
            series.Timestamps.Add(timestamp);
            return ++_count % batchSize == 0;
        }
    }

    public void AddParam(string key, string value)
    {
        lock (_gate) _params[key] = value;
    }

    public void AddTag(string key, string value)
    {
        lock (_gate) _tags[key] = value;
    }

    /// <summary>At most <paramref name="maxValues"/> metric values (whole series first, oldest values first) with every param and tag, as one numbered request body; null when nothing is waiting.</summary>
    public Wire.Log? Take(long sequence, int maxValues)
    {
        lock (_gate)
        {
            if (_count == 0 && _params.Count == 0 && _tags.Count == 0)
                return null;
            var metrics = new List<Wire.Metric>();
            var room = maxValues;
            foreach (var (key, series) in _metrics.ToList())
            {
                if (room == 0)
                    break;
                var take = Math.Min(room, series.Values.Count);
                metrics.Add(new Wire.Metric(key, series.Values.GetRange(0, take), series.Steps.GetRange(0, take), series.Timestamps.GetRange(0, take)));
                if (take == series.Values.Count)
                    _metrics.Remove(key);
                else
                    series.RemoveFirst(take);
                room -= take;
            }
            _count -= maxValues - room;
            var log = new Wire.Log(_params.Count > 0 ? _params : null, _tags.Count > 0 ? _tags : null, metrics, sequence);
            (_params, _tags) = (new(StringComparer.Ordinal), new(StringComparer.Ordinal));
            return log;
        }
    }

    private sealed class Series
    {
        public readonly List<double> Values = [];
        public readonly List<long> Steps = [];
        public readonly List<long> Timestamps = [];

        public void RemoveFirst(int count)
        {
            Values.RemoveRange(0, count);
            Steps.RemoveRange(0, count);
            Timestamps.RemoveRange(0, count);
        }
    }
}

/// <summary>The JSON the REST API takes and gives (snake_case).</summary>
internal static class Wire
{
    public sealed record Metric(string Key, List<double> Values, List<long> Steps, List<long> Timestamps);

    public sealed record Log(Dictionary<string, string>? Params, Dictionary<string, string>? Tags, List<Metric> Metrics, long Sequence);

    public sealed record Start(string Project, string? Name, string? Parent, string? Dataset, IReadOnlyDictionary<string, string>? Params,
        IReadOnlyDictionary<string, string>? Tags, IReadOnlyDictionary<string, string> Environment);

    public sealed record End(RunOutcome Status, string? Error);
}
