using System.Text;
using System.Text.Json;
using Tend.Core.Errors;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>
/// Reads a predict request (one JSON object, or an array of them) straight from its bytes, naming the field of any
/// mistake: a number becomes the model's number without passing through text, and each value's token is left in place
/// for the log (<see cref="JsonRows"/>).
/// </summary>
public static class RequestReader
{
    public static JsonRows Read(ReadOnlyMemory<byte> body, FeatureLayout layout) => Read(body, new SignatureCheck(layout));

    public static JsonRows Read(ReadOnlyMemory<byte> body, SignatureCheck check)
    {
        var rows = new JsonRows(check.Signature, body);
        var reader = new Utf8JsonReader(body.Span);
        try
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    rows.Add(Row(ref reader, check, ""));
                    break;
                case JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        rows.Add(reader.TokenType == JsonTokenType.StartObject
                            ? Row(ref reader, check, $"row {rows.Count}: ")
                            : throw TendException.BadUsage($"row {rows.Count}: expected a JSON object of features, got {Kind(ref reader)}"));
                    if (rows.Count == 0)
                        throw TendException.BadUsage("the request holds no rows; send a JSON object of features or a non-empty array of them");
                    break;
                default:
                    throw TendException.BadUsage($"expected a JSON object of features or an array of them, got {Kind(ref reader)}");
            }
            reader.Read(); // anything after the value is malformed
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
        return rows;
    }

    /// <summary>Malformed JSON is a client's mistake naming the line and byte.</summary>
    public static TendException Malformed(JsonException e) =>
        TendException.BadUsage($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: expected a JSON object or array");

    /// <summary>One row's object, each field read once and found by name (no search per feature).</summary>
    private static JsonRows.Row Row(ref Utf8JsonReader reader, SignatureCheck check, string where)
    {
        var fields = check.Signature;
        var row = new JsonRows.Row(new double[fields.Names.Length], fields.NumbersOnly ? [] : new string?[fields.Names.Length], new int[2 * fields.Names.Length]);
        var (found, next) = (0, 0);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var k = fields.Find(ref reader, next);
            if (k < 0)
            {
                check.Unknown(reader.GetString()!, where);
                reader.Skip();
                continue;
            }
            next = k + 1;
            reader.Read();
            found += row.Spans[2 * k + 1] == 0 ? 1 : 0;
            row.Numbers[k] = Value(ref reader, k, check, row.Cells, where);
            row.Spans[2 * k] = (int)reader.TokenStartIndex;
            row.Spans[2 * k + 1] = (int)(reader.BytesConsumed - reader.TokenStartIndex);
        }
        if (found < fields.Names.Length)
        {
            var missing = Enumerable.Range(0, fields.Names.Length).First(k => row.Spans[2 * k + 1] == 0);
            throw TendException.BadUsage($"{where}field '{fields.Names[missing]}' is missing; the model needs: {string.Join(", ", check.Layout.Features)}");
        }
        return row;
    }

    /// <summary>
    /// Feature <paramref name="k"/>'s value, checked against its kind: a number or boolean is returned (NaN when null),
    /// any other value goes into <paramref name="cells"/>.
    /// </summary>
    private static double Value(ref Utf8JsonReader reader, int k, SignatureCheck check, string?[] cells, string where)
    {
        var column = check.Signature.Names[k];
        if (reader.TokenType == JsonTokenType.Null)
        {
            check.Missing(column, where);
            return double.NaN;
        }
        switch (check.Signature.Kinds[k])
        {
            case FieldKind.Number:
                return reader.TokenType == JsonTokenType.Number
                    ? reader.TryGetDouble(out var number) && double.IsFinite(number) ? number
                        : throw TendException.BadUsage($"{where}field '{column}' must be a number within ±1.8e308, got {Kind(ref reader)}")
                    : throw TendException.BadUsage($"{where}field '{column}' must be a number or null, got {Kind(ref reader)}");
            case FieldKind.Boolean:
                return reader.TokenType switch
                {
                    JsonTokenType.True => 1,
                    JsonTokenType.False => 0,
                    _ => throw TendException.BadUsage($"{where}field '{column}' must be true, false or null, got {Kind(ref reader)}"),
                };
            case FieldKind.Date:
                cells[k] = reader.TokenType == JsonTokenType.String && reader.GetString() is var date && Cells.TryDateTime(date, out _)
                    ? date
                    : throw TendException.BadUsage($"{where}field '{column}' must be an ISO 8601 date or date-time text (e.g. \"2024-05-31\") or null, got {Kind(ref reader)}");
                return double.NaN;
        }
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw TendException.BadUsage($"{where}field '{column}' must be a text category or null, got {Kind(ref reader)}"),
        };
        if (check.Signature.Kinds[k] == FieldKind.Category)
            check.Category(column, text);
        cells[k] = text;
        return double.NaN;
    }

    private static string Kind(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => Describe(JsonValueKind.String, reader.GetString()!),
        JsonTokenType.Number => Describe(JsonValueKind.Number, Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.True => Describe(JsonValueKind.True, "true"),
        JsonTokenType.False => Describe(JsonValueKind.False, "false"),
        JsonTokenType.StartArray => Describe(JsonValueKind.Array, ""),
        JsonTokenType.StartObject => Describe(JsonValueKind.Object, ""),
        _ => Describe(JsonValueKind.Null, ""),
    };

    /// <summary>One JSON value as the text cell of a feature column, checked against the column's kind; <paramref name="where"/> prefixes an error.</summary>
    internal static string? Value(JsonElement value, string column, SignatureCheck check, string where)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            check.Missing(column, where);
            return null;
        }
        var kind = check.Signature.KindOf(column);
        switch (kind)
        {
            case FieldKind.Number:
                return value.ValueKind == JsonValueKind.Number
                    ? value.GetRawText() // the number as sent: parsed once, by the model's input
                    : throw TendException.BadUsage($"{where}field '{column}' must be a number or null, got {Kind(value)}");
            case FieldKind.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? (value.ValueKind == JsonValueKind.True ? "true" : "false")
                    : throw TendException.BadUsage($"{where}field '{column}' must be true, false or null, got {Kind(value)}");
            case FieldKind.Date:
                return value.ValueKind == JsonValueKind.String && Cells.TryDateTime(value.GetString(), out _)
                    ? value.GetString()
                    : throw TendException.BadUsage($"{where}field '{column}' must be an ISO 8601 date or date-time text (e.g. \"2024-05-31\") or null, got {Kind(value)}");
        }
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw TendException.BadUsage($"{where}field '{column}' must be a text category or null, got {Kind(value)}"),
        };
        if (kind == FieldKind.Category)
            check.Category(column, text);
        return text;
    }

    internal static string Kind(JsonElement value) => Describe(value.ValueKind, value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "",
    });

    /// <summary>A JSON value as an error names it: the text "x", the number 3, true, an array…</summary>
    private static string Describe(JsonValueKind kind, string text) => kind switch
    {
        JsonValueKind.String => $"the text \"{text}\"",
        JsonValueKind.Number => $"the number {text}",
        JsonValueKind.True or JsonValueKind.False => text,
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
