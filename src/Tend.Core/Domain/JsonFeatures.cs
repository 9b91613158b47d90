using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// A row's features as JSON tokens: each feature's value is the token written for it (a number as written, a quoted
/// text, true, false or null), left where it lies in a request's or a stored record's body. The native predict endpoint
/// logs every row it serves, and turning each value into a text cell and back into JSON cost a fifth of the server's time
/// (bench/README.md), so the log copies these tokens as they are (<see cref="WriteTo"/>) and reads them back the same way
/// (<see cref="Read"/>). Seen as a dictionary, a value is a cell: a number's text as written, a text unescaped,
/// <c>true</c>/<c>false</c>, or null.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "Named for what it holds, a row's features; the dictionary is a view of them.")]
public sealed class JsonFeatures(FeatureSet set, ReadOnlyMemory<byte> json, ReadOnlyMemory<int> spans) : IReadOnlyDictionary<string, string?>
{
    private string?[]? _cells;

    /// <summary>The features' names, in the order of their tokens.</summary>
    public FeatureSet Set => set;

    /// <summary>Writes the values as one JSON array in the order of <see cref="Set"/>, each the token as it is.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        var body = json.Span;
        var at = spans.Span;
        var length = 2 + set.Names.Length;
        for (var k = 0; k < set.Names.Length; k++)
            length += at[2 * k + 1];
        var rented = ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented.AsSpan();
        buffer[0] = (byte)'[';
        var written = 1;
        for (var k = 0; k < set.Names.Length; k++)
        {
            if (k > 0)
                buffer[written++] = (byte)',';
            body.Slice(at[2 * k], at[2 * k + 1]).CopyTo(buffer[written..]);
            written += at[2 * k + 1];
        }
        buffer[written++] = (byte)']';
        writer.WriteRawValue(buffer[..written], skipInputValidation: true); // each token was checked when it was read
        ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>
    /// The values of the array <paramref name="reader"/> is on, which lies in <paramref name="body"/>, named by
    /// <paramref name="set"/> in order; the reader is left on the array's end.
    /// </summary>
    public static JsonFeatures Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, FeatureSet set)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("expected the features as a JSON array");
        var spans = new int[2 * set.Names.Length];
        var k = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.String or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                throw new JsonException($"feature {k + 1}: expected a text, number, true, false or null");
            if (k == set.Names.Length)
                throw new JsonException($"more features than the {set.Names.Length} of feature set {set.Id}");
            spans[2 * k] = (int)reader.TokenStartIndex;
            spans[2 * k + 1] = (int)(reader.BytesConsumed - reader.TokenStartIndex);
            k++;
        }
        if (k != set.Names.Length)
            throw new JsonException($"{k} features where feature set {set.Id} has {set.Names.Length}");
        return new JsonFeatures(set, body, spans);
    }

    private string?[] Cells => _cells ??= Enumerable.Range(0, set.Names.Length).Select(Cell).ToArray();

    private string? Cell(int k)
    {
        var token = json.Span.Slice(spans.Span[2 * k], spans.Span[2 * k + 1]);
        switch (token[0])
        {
            case (byte)'"':
                var reader = new Utf8JsonReader(token);
                reader.Read();
                return reader.GetString();
            case (byte)'n':
                return null;
            default:
                return Encoding.UTF8.GetString(token);
        }
    }

    public string? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => set.Names;
    public IEnumerable<string?> Values => Cells;
    public int Count => set.Names.Length;

    public bool ContainsKey(string key) => set.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var at = set.IndexOf(key);
        value = at >= 0 ? Cells[at] : null;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() =>
        set.Names.Select((n, k) => new KeyValuePair<string, string?>(n, Cells[k])).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
