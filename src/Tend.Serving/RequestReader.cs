using System.Text.Json;
using Tend.Core.Errors;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>Reads a predict request (one JSON object, or an array of them) into rows of cells, naming the field of any mistake.</summary>
public static class RequestReader
{
    public static Table Read(JsonElement body, FeatureLayout layout) => Read(body, new SignatureCheck(layout));

    public static Table Read(JsonElement body, SignatureCheck check)
    {
        var layout = check.Layout;
        var rows = body.ValueKind switch
        {
            JsonValueKind.Object => [body],
            JsonValueKind.Array => body.EnumerateArray().ToList(),
            _ => throw TendException.BadUsage($"expected a JSON object of features or an array of them, got {Kind(body)}"),
        };
        if (rows.Count == 0)
            throw TendException.BadUsage("the request holds no rows; send a JSON object of features or a non-empty array of them");
        var fields = check.Signature;
        var table = new List<string?[]>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var where = rows.Count == 1 && body.ValueKind == JsonValueKind.Object ? "" : $"row {r}: ";
            if (rows[r].ValueKind != JsonValueKind.Object)
                throw TendException.BadUsage($"{where}expected a JSON object of features, got {Kind(rows[r])}");
            var cells = new string?[fields.Names.Length];
            var present = new bool[cells.Length];
            var (found, next) = (0, 0);
            foreach (var field in rows[r].EnumerateObject()) // each field once, found by name: no search per feature
                if (fields.Find(field, next) is var k and >= 0)
                {
                    next = k + 1;
                    cells[k] = Value(field.Value, fields.Names[k], check, where);
                    found += present[k] ? 0 : 1;
                    present[k] = true;
                }
                else
                    check.Unknown(field.Name, where);
            if (found < cells.Length)
                throw TendException.BadUsage($"{where}field '{fields.Names[Array.IndexOf(present, false)]}' is missing; the model needs: {string.Join(", ", layout.Features)}");
            table.Add(cells);
        }
        return new Table(fields.Names, table);
    }

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

    internal static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };
}
