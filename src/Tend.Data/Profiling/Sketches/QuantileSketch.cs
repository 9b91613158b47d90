namespace Tend.Data.Profiling.Sketches;

/// <summary>
/// A mergeable quantile summary in bounded memory (Manku, Rajagopalan and Lindsay's compactors, as in KLL): level h
/// holds up to <see cref="Capacity"/> values each standing for 2^h; a full level is sorted and every other value moves up
/// (alternating which half). Each compaction at level h moves any rank by at most 2^h, so the rank error is at most
/// (levels − 1) / <see cref="Capacity"/> of the count: 0.27 % at 10 million values.
/// </summary>
public sealed class QuantileSketch
{
    public const int Capacity = 4096;

    private readonly List<double[]> _levels = [new double[Capacity]];
    private readonly List<int> _sizes = [0];
    private readonly List<bool> _odd = [false];

    public long Count { get; private set; }

    /// <summary>The bound on |estimated rank − true rank| / count.</summary>
    public double RankError => _levels.Count <= 1 ? 0 : (_levels.Count - 1) / (double)Capacity;

    public void Add(double value) => Add(value, 1);

    /// <summary>Adds a value standing for <paramref name="weight"/> copies, one entry per set bit of the weight.</summary>
    public void Add(double value, long weight)
    {
        Count += weight;
        for (var h = 0; weight > 0; h++, weight >>= 1)
            if ((weight & 1) == 1)
                Push(h, value);
    }

    private void Push(int level, double value)
    {
        while (_levels.Count <= level)
        {
            _levels.Add(new double[Capacity]);
            _sizes.Add(0);
            _odd.Add(false);
        }
        var items = _levels[level];
        items[_sizes[level]++] = value;
        if (_sizes[level] < Capacity)
            return;
        Array.Sort(items);
        var start = _odd[level] ? 1 : 0;
        _odd[level] = !_odd[level];
        _sizes[level] = 0;
        for (var i = start; i < Capacity; i += 2)
            Push(level + 1, items[i]);
    }

    /// <summary>The summary as sorted values with weights (equal values merged).</summary>
    public (double[] Values, long[] Weights) Points()
    {
        var points = _levels.SelectMany((items, h) => items.Take(_sizes[h]).Select(v => (v, w: 1L << h))).OrderBy(p => p.v).ToList();
        var values = new List<double>();
        var weights = new List<long>();
        foreach (var (v, w) in points)
        {
            if (values.Count > 0 && values[^1] == v)
                weights[^1] += w;
            else
            {
                values.Add(v);
                weights.Add(w);
            }
        }
        return (values.ToArray(), weights.ToArray());
    }
}
