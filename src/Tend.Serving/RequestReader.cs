using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
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
            if (Checked(ref reader, k, check, where, out row.Numbers[k]) is { } text)
                row.Cells[k] = text;
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
    /// Feature <paramref name="k"/>'s value where <paramref name="reader"/> is, checked against its kind: a number or
    /// boolean comes back as <paramref name="number"/> (1 or 0), any other kind as its text; null is NaN and no text.
    /// </summary>
    private static string? Checked(ref Utf8JsonReader reader, int k, SignatureCheck check, string where, out double number)
    {
        var column = check.Signature.Names[k];
        number = double.NaN;
        if (reader.TokenType == JsonTokenType.Null)
        {
            check.Missing(column, where);
            return null;
        }
        switch (check.Signature.Kinds[k])
        {
            case FieldKind.Number:
                number = reader.TokenType == JsonTokenType.Number
                    ? reader.TryGetDouble(out var value) && double.IsFinite(value) ? value
                        : throw TendException.BadUsage($"{where}field '{column}' must be a number within ±1.8e308, got {Kind(ref reader)}")
                    : throw TendException.BadUsage($"{where}field '{column}' must be a number or null, got {Kind(ref reader)}");
                return null;
            case FieldKind.Boolean:
                number = reader.TokenType switch
                {
                    JsonTokenType.True => 1,
                    JsonTokenType.False => 0,
                    _ => throw TendException.BadUsage($"{where}field '{column}' must be true, false or null, got {Kind(ref reader)}"),
                };
                return null;
            case FieldKind.Date:
                return reader.TokenType == JsonTokenType.String && reader.GetString() is var date && Cells.TryDateTime(date, out _)
                    ? date
                    : throw TendException.BadUsage($"{where}field '{column}' must be an ISO 8601 date or date-time text (e.g. \"2024-05-31\") or null, got {Kind(ref reader)}");
        }
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString()!,
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            _ => throw TendException.BadUsage($"{where}field '{column}' must be a text category or null, got {Kind(ref reader)}"),
        };
        if (text.Length > TextLimit.Prose)
            throw TendException.BadUsage($"{where}field '{column}' {TextLimit.TooLong(text, TextLimit.Prose)}");
        if (check.Signature.Kinds[k] == FieldKind.Category)
            check.Category(column, text);
        return text;
    }

    /// <summary>
    /// One JSON value of another protocol as the text cell of a feature column, checked as a native field is; a number
    /// stays as it was written. <paramref name="where"/> prefixes an error.
    /// </summary>
    internal static string? Value(JsonElement value, string column, SignatureCheck check, string where)
    {
        var reader = Reader(value);
        var k = check.Signature.Index[column];
        var text = Checked(ref reader, k, check, where, out var number);
        return double.IsNaN(number) ? text
            : check.Signature.Kinds[k] == FieldKind.Number ? value.GetRawText()
            : number == 1 ? "true" : "false";
    }

    /// <summary>A JSON value as an error names it: the text "x", the number 3, true, an array…</summary>
    internal static string Kind(JsonElement value)
    {
        var reader = Reader(value);
        return Kind(ref reader);
    }

    private static Utf8JsonReader Reader(JsonElement value)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
        reader.Read();
        return reader;
    }

    private static string Kind(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => $"the text \"{TextLimit.Excerpt(reader.GetString()!)}\"",
        JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(reader.ValueSpan)}",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "null",
    };
}
