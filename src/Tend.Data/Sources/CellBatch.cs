namespace Tend.Data.Sources;

/// <summary>
/// Up to a row group of rows as text cells without a string per cell: the rows' text back to back in one buffer, and
/// for each column and row where its cell starts and how long it is (-1: missing), so a column reads as spans.
/// Refilled batch after batch; each row keeps its line for messages.
/// </summary>
public sealed class CellBatch
{
    private readonly int _columns;
    private char[] _text;
    private int _used;
    private readonly int[] _starts; // [column * Capacity + row]
    private readonly int[] _lengths;

    public CellBatch(int columns, int capacity)
    {
        (_columns, Capacity) = (columns, capacity);
        _text = new char[capacity * Math.Max(1, columns) * 8];
        _starts = new int[columns * capacity];
        _lengths = new int[columns * capacity];
        Lines = new long[capacity];
    }

    public int Capacity { get; }
    public int Count { get; private set; }
    public bool Full => Count == Capacity;
    public long[] Lines { get; }

    public ReadOnlySpan<char> Cell(int column, int row)
    {
        var at = column * Capacity + row;
        return _lengths[at] < 0 ? [] : _text.AsSpan(_starts[at], _lengths[at]);
    }

    public bool IsMissing(int column, int row) => _lengths[column * Capacity + row] < 0;

    public void Clear() => Count = _used = 0;

    /// <summary>Adds a row given as its text and each field's start in it and length (-1: missing).</summary>
    public void Add(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, long line)
    {
        var offset = Append(text);
        for (var c = 0; c < _columns; c++)
        {
            _starts[c * Capacity + Count] = offset + starts[c];
            _lengths[c * Capacity + Count] = lengths[c];
        }
        Lines[Count++] = line;
    }

    /// <summary>Adds a row of strings (null = missing).</summary>
    public void Add(string?[] cells, long line)
    {
        for (var c = 0; c < _columns; c++)
        {
            _starts[c * Capacity + Count] = cells[c] is null ? 0 : Append(cells[c]);
            _lengths[c * Capacity + Count] = cells[c]?.Length ?? -1;
        }
        Lines[Count++] = line;
    }

    private int Append(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _text.Length)
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + text.Length));
        text.CopyTo(_text.AsSpan(_used));
        _used += text.Length;
        return _used - text.Length;
    }
}
