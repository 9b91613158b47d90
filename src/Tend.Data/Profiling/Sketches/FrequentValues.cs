using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Tend.Data.Profiling.Sketches;

/// <summary>The 64-bit hashes <see cref="FrequentValues{T}"/> counts distinct values by.</summary>
public static class FrequentValues
{
    public static ulong Hash(string value) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()));

    public static ulong Hash(long value) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in value)));
}

/// <summary>
/// Counts each distinct value exactly until there are <see cref="Capacity"/> of them, then keeps the frequent ones with
/// Misra and Gries' summary: every count is then under-estimated by at most n / <see cref="Capacity"/>, and distinct
/// values are counted by a HyperLogLog from the start.
/// </summary>
public sealed class FrequentValues<T> where T : notnull
{
    public const int Capacity = 10_000;

    private readonly Dictionary<T, long> _counts = new();
    private readonly HyperLogLog _distinct = new();
    private readonly Func<T, ulong> _hash;

    /// <param name="hash">A value's 64-bit hash, for the HyperLogLog.</param>
    public FrequentValues(Func<T, ulong> hash) => _hash = hash;

    public bool Exact { get; private set; } = true;

    public IReadOnlyDictionary<T, long> Counts => _counts;

    public void Add(T value)
    {
        if (Exact)
        {
            ref var count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, value, out var existed);
            count++;
            if (existed || _counts.Count <= Capacity)
                return;
            Exact = false;
            foreach (var key in _counts.Keys)
                _distinct.AddHash(_hash(key));
            Decrement();
            return;
        }
        _distinct.AddHash(_hash(value));
        if (_counts.TryGetValue(value, out var seen))
            _counts[value] = seen + 1;
        else if (_counts.Count < Capacity)
            _counts[value] = 1;
        else
            Decrement();
    }

    public long Distinct => Exact ? _counts.Count : Math.Max(_distinct.Estimate(), _counts.Count);

    /// <summary>Misra–Gries' step, in place: every count drops by one and values left at zero go.</summary>
    private void Decrement()
    {
        foreach (var key in _counts.Keys)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, key);
            if (--count == 0)
                _counts.Remove(key); // removing the current entry is allowed while enumerating
        }
    }
}
