using Tend.Core.Domain;

namespace Tend.Data.Profiling;

/// <summary>
/// How a column goes with the label, accumulated row by row over rows where both are present:
/// Pearson's r for two numbers, the correlation ratio η for a number against categories (either way round), and
/// Cramér's V (χ² without continuity correction, as scipy.stats.contingency.association) for two categorical columns.
/// </summary>
public sealed class Association(bool featureNumeric, bool labelNumeric)
{
    /// <summary>Above this many cells a contingency table is not kept (free text against the label says little).</summary>
    private const int MaxCells = 20_000;

    private long _n;
    private double _sx, _sxx, _sy, _syy, _sxy;
    private readonly Dictionary<string, (long N, double Sum)> _groups = new(StringComparer.Ordinal);
    private Dictionary<(string, string), long>? _table = new();

    public void Add(double? x, string? xCategory, double? y, string? yCategory)
    {
        if ((featureNumeric ? x is null : xCategory is null) || (labelNumeric ? y is null : yCategory is null))
            return;
        _n++;
        if (featureNumeric && labelNumeric)
        {
            _sx += x!.Value; _sxx += x.Value * x.Value; _sy += y!.Value; _syy += y.Value * y.Value; _sxy += x.Value * y.Value;
        }
        else if (featureNumeric || labelNumeric)
        {
            var (value, group) = featureNumeric ? (x!.Value, yCategory!) : (y!.Value, xCategory!);
            _sx += value; _sxx += value * value;
            var g = _groups.GetValueOrDefault(group);
            _groups[group] = (g.N + 1, g.Sum + value);
        }
        else if (_table is not null)
        {
            var key = (xCategory!, yCategory!);
            _table[key] = _table.GetValueOrDefault(key) + 1;
            if (_table.Count > MaxCells)
                _table = null;
        }
    }

    public LabelAssociation? Result()
    {
        if (_n < 2)
            return null;
        if (featureNumeric && labelNumeric)
        {
            var cov = _sxy - _sx * _sy / _n;
            var vx = _sxx - _sx * _sx / _n;
            var vy = _syy - _sy * _sy / _n;
            return vx <= 0 || vy <= 0 ? null : new LabelAssociation("pearson", cov / Math.Sqrt(vx * vy));
        }
        if (featureNumeric || labelNumeric)
        {
            var mean = _sx / _n;
            var total = _sxx - _sx * _sx / _n;
            var between = _groups.Values.Sum(g => g.N * Math.Pow(g.Sum / g.N - mean, 2));
            return total <= 0 ? null : new LabelAssociation("correlation_ratio", Math.Sqrt(Math.Clamp(between / total, 0, 1)));
        }
        if (_table is null)
            return null;
        var rows = _table.GroupBy(kv => kv.Key.Item1).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        var cols = _table.GroupBy(kv => kv.Key.Item2).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        if (rows.Count < 2 || cols.Count < 2)
            return null;
        double chi2 = 0;
        foreach (var (r, rn) in rows)
            foreach (var (c, cn) in cols)
            {
                var expected = rn * (double)cn / _n;
                var observed = _table.GetValueOrDefault((r, c));
                chi2 += (observed - expected) * (observed - expected) / expected;
            }
        return new LabelAssociation("cramers_v", Math.Sqrt(chi2 / (_n * (Math.Min(rows.Count, cols.Count) - 1))));
    }
}
