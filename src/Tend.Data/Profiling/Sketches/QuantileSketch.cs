using System.Runtime.CompilerServices;
namespace Tend.Data.Profiling.Sketches;

/// <summary>
/// A mergeable quantile summary in bounded memory (Manku, Rajagopalan and Lindsay's compactors, as in KLL): level h
/// holds up to <see cref="Capacity"/> values each standing for 2^h; a full level is sorted and every other value moves up
/// (alternating which half). Each compaction at level h moves any rank by at most 2^h, so the rank error is at most
/// (levels − 1) / <see cref="Capacity"/> of the count: 0.27 % at 10 million values. A level above the first fills with
/// sorted runs from the level below, so it is merged rather than sorted.
/// </summary>
public sealed class QuantileSketch
{
    public const int Capacity = 4096;

    private readonly List<Level> _levels = [new()];
    private const ulong SignBit = 0x8000_0000_0000_0000;

    private readonly double[] _merged = new double[Capacity];
    private readonly ulong[] _keys = new ulong[Capacity];
    private readonly ulong[] _scratch = new ulong[Capacity];

    public long Count { get; private set; }

    /// <summary>The bound on |estimated rank − true rank| / count.</summary>
    public double RankError => _levels.Count <= 1 ? 0 : (_levels.Count - 1) / (double)Capacity;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double value)
    {
        Count++;
        var level = _levels[0];
        level.Items[level.Size++] = value;
        if (level.Size == Capacity)
            Compact(0);
    }

    /// <summary>Adds a value standing for <paramref name="weight"/> copies, one entry per set bit of the weight.</summary>
    public void Add(double value, long weight)
    {
        Count += weight;
        for (var h = 0; weight > 0; h++, weight >>= 1)
            if ((weight & 1) == 1)
                Append(h, [value]);
    }

    /// <summary>Appends a sorted run to level <paramref name="h"/>, compacting whenever the level fills.</summary>
    private void Append(int h, ReadOnlySpan<double> run)
    {
        while (_levels.Count <= h)
            _levels.Add(new Level());
        while (!run.IsEmpty)
        {
            var level = _levels[h];
            var take = Math.Min(run.Length, Capacity - level.Size);
            if (level.Runs == 1)
                level.SecondRun = level.Size;
            run[..take].CopyTo(level.Items.AsSpan(level.Size));
            level.Size += take;
            level.Runs++;
            run = run[take..];
            if (level.Size == Capacity)
                Compact(h);
        }
    }

    /// <summary>Sorts (or merges two sorted runs of) a full level and moves every other value up a level.</summary>
    private void Compact(int h)
    {
        var level = _levels[h];
        double[] sorted;
        if (h > 0 && level.Runs == 2)
        {
            Merge(level.Items.AsSpan(0, level.SecondRun), level.Items.AsSpan(level.SecondRun, Capacity - level.SecondRun), _merged);
            sorted = _merged;
        }
        else
        {
            Sort(level.Items);
            sorted = level.Items;
        }
        var start = level.Odd ? 1 : 0;
        level.Odd = !level.Odd;
        level.Size = level.Runs = 0;
        for (int i = start, k = 0; i < Capacity; i += 2, k++)
            level.Up[k] = sorted[i];
        Append(h + 1, level.Up); // compactions above use their own levels' buffers
    }

    /// <summary>
    /// Sorts finite doubles as unsigned integers with the same order (sign bit flipped, negatives inverted), by a
    /// least-significant-digit radix sort on bytes that skips the bytes all keys share: about three times as fast as
    /// Array.Sort of the keys, which was most of the cost of a value (bench/README.md, drift).
    /// </summary>
    private void Sort(double[] items)
    {
        Span<int> counts = stackalloc int[8 * 256];
        counts.Clear();
        for (var i = 0; i < items.Length; i++)
        {
            var bits = BitConverter.DoubleToUInt64Bits(items[i]);
            var key = _keys[i] = (bits & SignBit) != 0 ? ~bits : bits | SignBit;
            for (var b = 0; b < 8; b++)
                counts[b * 256 + (int)((key >> (8 * b)) & 0xFF)]++;
        }
        var (from, to) = (_keys, _scratch);
        for (var b = 0; b < 8; b++)
        {
            var digit = counts.Slice(b * 256, 256);
            if (digit.Contains(items.Length))
                continue; // every key has the same byte here: this pass would not move anything
            var offset = 0;
            for (var d = 0; d < 256; d++)
                (digit[d], offset) = (offset, offset + digit[d]);
            var shift = 8 * b;
            for (var i = 0; i < items.Length; i++)
                to[digit[(int)((from[i] >> shift) & 0xFF)]++] = from[i];
            (from, to) = (to, from);
        }
        for (var i = 0; i < items.Length; i++)
        {
            var key = from[i];
            items[i] = BitConverter.UInt64BitsToDouble((key & SignBit) != 0 ? key & ~SignBit : ~key);
        }
    }

    private static void Merge(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> into)
    {
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
            into[k++] = a[i] <= b[j] ? a[i++] : b[j++];
        a[i..].CopyTo(into[k..]);
        b[j..].CopyTo(into[(k + a.Length - i)..]);
    }

    /// <summary>The summary as sorted values with weights (equal values merged).</summary>
    public (double[] Values, long[] Weights) Points()
    {
        var points = _levels.SelectMany((level, h) => level.Items.Take(level.Size).Select(v => (v, w: 1L << h))).OrderBy(p => p.v).ToList();
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

    /// <summary>One level's values; <see cref="Runs"/> counts the sorted runs appended since it was last compacted.</summary>
    private sealed class Level
    {
        public readonly double[] Items = new double[Capacity];
        public readonly double[] Up = new double[Capacity / 2];
        public int Size, Runs, SecondRun;
        public bool Odd;
    }
}
