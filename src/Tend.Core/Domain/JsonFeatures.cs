using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// A row's features as the client sent them in JSON: each feature's value is the JSON token it wrote (a number as
/// written, a quoted text, true, false or null), left where it lies in the request's body. The native predict endpoint
/// logs every row it serves, and turning each value into a text cell and back into JSON cost a fifth of the server's time
/// (bench/README.md), so the log copies these tokens as they are (<see cref="WriteTo"/>). Seen as a dictionary, a value
/// is the cell the server read: a number's text as sent, a text unescaped, <c>true</c>/<c>false</c>, or null.
/// </summary>
public sealed class JsonFeatures(JsonFeatures.Names names, ReadOnlyMemory<byte> json, ReadOnlyMemory<int> spans) : IReadOnlyDictionary<string, string?>
{
    /// <summary>A model's feature names, and each as the start of a JSON property (<c>"name":</c>), made once per model.</summary>
    public sealed class Names(IReadOnlyList<string> names)
    {
        public string[] Keys { get; } = [.. names];
        public byte[][] Properties { get; } = [.. names.Select(n => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(n) + ":"))];
    }

    private string?[]? _cells;

    /// <summary>Writes the features as one JSON object, each value the token the client sent, copied as it is.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        var body = json.Span;
        var at = spans.Span;
        var properties = names.Properties;
        var length = 2;
        for (var k = 0; k < properties.Length; k++)
            length += properties[k].Length + at[2 * k + 1] + 1;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented.AsSpan();
        buffer[0] = (byte)'{';
        var written = 1;
        for (var k = 0; k < properties.Length; k++)
        {
            if (k > 0)
                buffer[written++] = (byte)',';
            properties[k].CopyTo(buffer[written..]);
            written += properties[k].Length;
            body.Slice(at[2 * k], at[2 * k + 1]).CopyTo(buffer[written..]);
            written += at[2 * k + 1];
        }
        buffer[written++] = (byte)'}';
        writer.WriteRawValue(buffer[..written], skipInputValidation: true); // each token was checked when the request was read
        ArrayPool<byte>.Shared.Return(rented);
    }

    private string?[] Cells => _cells ??= Enumerable.Range(0, names.Keys.Length).Select(Cell).ToArray();

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

    public IEnumerable<string> Keys => names.Keys;
    public IEnumerable<string?> Values => Cells;
    public int Count => names.Keys.Length;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? Cells[at] : null;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() =>
        names.Keys.Select((n, k) => new KeyValuePair<string, string?>(n, Cells[k])).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key) => Array.IndexOf(names.Keys, key);
}
