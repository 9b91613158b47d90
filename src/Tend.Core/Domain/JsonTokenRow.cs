using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// A row whose values are JSON tokens (a number as written, a quoted text, true, false or null) left where they lie in a
/// UTF-8 buffer: a native predict request's body, or a stored log record's. Turning each value into a text cell and back
/// into JSON cost a fifth of the server's time (bench/README.md), so the log copies the tokens as they are
/// (<see cref="WriteTo"/>) and reads them back the same way (<see cref="Read"/>); a cell is made only when asked for.
/// </summary>
public sealed class JsonTokenRow(FeatureSet set, ReadOnlyMemory<byte> json, ReadOnlyMemory<int> spans) : FeatureRow(set)
{
    /// <summary>Writes the values as one JSON array in the order of <see cref="FeatureRow.Set"/>, each the token as it is.</summary>
    public override void WriteTo(Utf8JsonWriter writer)
    {
        var body = json.Span;
        var at = spans.Span;
        var length = 2 + Set.Names.Length;
        for (var k = 0; k < Set.Names.Length; k++)
            length += at[2 * k + 1];
        var rented = ArrayPool<byte>.Shared.Rent(length);
        var buffer = rented.AsSpan();
        buffer[0] = (byte)'[';
        var written = 1;
        for (var k = 0; k < Set.Names.Length; k++)
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
    public static JsonTokenRow Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, FeatureSet set)
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
        return new JsonTokenRow(set, body, spans);
    }

    public override string? Cell(int k)
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
}
