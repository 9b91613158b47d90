namespace Tend.Data.Versions;

/// <summary>
/// The 128-bit hashes of the rows seen so far, up to <paramref name="capacity"/> of them, for finding duplicate rows:
/// open addressing with linear probing in one flat array kept at most half full (about 3× faster than a HashSet of
/// UInt128). Once full it only looks hashes up, so memory stays bounded whatever the row count.
/// </summary>
internal sealed class RowHashSet(int capacity)
{
    private UInt128[] _slots = new UInt128[1024];
    private bool _hasZero;

    public int Count { get; private set; }

    /// <summary>Adds a hash; false when it was already there.</summary>
    public bool Add(UInt128 hash)
    {
        if (hash == UInt128.Zero) // the empty-slot marker stands for itself with a flag
        {
            if (_hasZero)
                return false;
            if (Count < capacity)
                (_hasZero, Count) = (true, Count + 1);
            return true;
        }
        var slot = Find(_slots, hash);
        if (_slots[slot] == hash)
            return false;
        if (Count < capacity)
        {
            _slots[slot] = hash;
            if (++Count * 2 > _slots.Length)
                Grow();
        }
        return true;
    }

    /// <summary>The slot holding <paramref name="hash"/>, or the empty slot where it would go.</summary>
    private static int Find(UInt128[] slots, UInt128 hash)
    {
        var mask = slots.Length - 1;
        var i = (int)(ulong)hash & mask;
        while (slots[i] != hash && slots[i] != UInt128.Zero)
            i = (i + 1) & mask;
        return i;
    }

    private void Grow()
    {
        var larger = new UInt128[_slots.Length * 2];
        foreach (var hash in _slots)
            if (hash != UInt128.Zero)
                larger[Find(larger, hash)] = hash;
        _slots = larger;
    }
}
