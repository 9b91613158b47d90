using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// A logged row's features: their names in order (a <see cref="FeatureSet"/>, which the log stores once) and their
/// values, seen as text cells (a number's text as written, a text, <c>true</c>/<c>false</c>, or null). The log writes
/// the values as one JSON array in the set's order (<see cref="WriteTo"/>); how a row holds them is its own business:
/// as text cells (<see cref="CellRow"/>), or as the JSON tokens they were read as (<see cref="JsonTokenRow"/>), which
/// the log copies as they are.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "Named for what it is, a row's features; the dictionary is a view of them.")]
public abstract class FeatureRow(FeatureSet set) : IReadOnlyDictionary<string, string?>
{
    /// <summary>A row of no features: a rejected request's.</summary>
    public static readonly FeatureRow None = new CellRow(new FeatureSet([]), []);

    public FeatureSet Set => set;

    /// <summary>The value of the feature at <paramref name="k"/> in <see cref="Set"/>, as a text cell.</summary>
    public abstract string? Cell(int k);

    /// <summary>Writes the values as one JSON array in the order of <see cref="Set"/>.</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>Text cells by feature name, as a row of their own.</summary>
    public static FeatureRow Of(IReadOnlyDictionary<string, string?> cells) => new CellRow(new FeatureSet(cells.Keys), [.. cells.Values]);

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => set.Names;
    public IEnumerable<string?> Values => Enumerable.Range(0, set.Names.Length).Select(Cell);
    public int Count => set.Names.Length;

    public bool ContainsKey(string key) => set.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var at = set.IndexOf(key);
        value = at >= 0 ? Cell(at) : null;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator()
    {
        for (var k = 0; k < set.Names.Length; k++)
            yield return new(set.Names[k], Cell(k));
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A row whose values are text cells, in the order of its set: read from CSV, or by a protocol that makes cells.</summary>
public sealed class CellRow(FeatureSet set, string?[] cells) : FeatureRow(set)
{
    public override string? Cell(int k) => cells[k];

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var cell in cells)
            writer.WriteStringValue(cell);
        writer.WriteEndArray();
    }
}
