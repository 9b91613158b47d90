namespace Tend.Data.Versions.Columns;

/// <summary>
/// Two buffers for a column's values: one filled by ingest while the other, handed over by <see cref="Swap"/>, is being
/// written to Parquet. The caller waits for a write to finish before swapping again.
/// </summary>
internal sealed class ChunkBuffer<T>(int capacity)
{
    private T[] _spare = new T[capacity];

    public T[] Current { get; private set; } = new T[capacity];

    /// <summary>Hands over the filled buffer and continues in the other one.</summary>
    public T[] Swap()
    {
        var full = Current;
        (Current, _spare) = (_spare, full);
        return full;
    }
}
