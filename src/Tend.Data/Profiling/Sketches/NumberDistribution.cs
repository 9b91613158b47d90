using System.Runtime.CompilerServices;
using Tend.Core.Domain;

namespace Tend.Data.Profiling.Sketches;

/// <summary>
/// A numeric column's values: every distinct value with its count up to <see cref="ExactLimit"/> distinct values
/// (so quantiles, PSI and KS against it are exact), then a <see cref="QuantileSketch"/>, and a HyperLogLog when the
/// number of distinct values is wanted (<paramref name="countDistinct"/>; monitoring does not need it, and it is a
/// quarter of the cost of a value).
/// </summary>
public sealed class NumberDistribution(bool countDistinct = true)
{
    public const int ExactLimit = 10_000;

    private Dictionary<double, long>? _counts = new();
    private QuantileSketch? _sketch;
    private HyperLogLog? _distinct;

    public bool Exact => _counts is not null;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        if (value == 0)
            value = 0; // -0 and 0 are one value
        if (_counts is not null)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, value, out _);
            count++;
            if (_counts.Count > ExactLimit)
                Overflow();
            return;
        }
        _sketch!.Add(value);
        _distinct?.Add(value);
    }

    public long Distinct => _counts?.Count ?? _distinct?.Estimate() ?? throw new InvalidOperationException("distinct values were not counted");

    public Distribution Result()
    {
        if (_counts is not null)
        {
            var values = _counts.Keys.Order().ToArray();
            return new Distribution(values, values.Select(v => _counts[v]).ToArray(), Exact: true);
        }
        var (points, weights) = _sketch!.Points();
        return new Distribution(points, weights, Exact: false, _sketch.RankError);
    }

    private void Overflow()
    {
        _sketch = new QuantileSketch();
        _distinct = countDistinct ? new HyperLogLog() : null;
        foreach (var (value, count) in _counts!)
        {
            _sketch.Add(value, count);
            _distinct?.Add(value);
        }
        _counts = null;
    }
}
