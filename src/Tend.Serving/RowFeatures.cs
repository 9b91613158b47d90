using System.Diagnostics.CodeAnalysis;

namespace Tend.Serving;

/// <summary>
/// A row's cells seen as features by column name, without copying them into a dictionary: a prediction log record
/// holds one per row of every request, so it is made often and read once, when the record is written.
/// </summary>
internal sealed class RowFeatures(IReadOnlyList<string> columns, string?[] cells) : IReadOnlyDictionary<string, string?>
{
    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => columns;
    public IEnumerable<string?> Values => cells;
    public int Count => columns.Count;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? cells[at] : null;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var k = 0; k < columns.Count; k++)
            yield return new(columns[k], cells[k]);
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var k = 0; k < columns.Count; k++)
            if (columns[k] == key) return k;
        return -1;
    }
}
