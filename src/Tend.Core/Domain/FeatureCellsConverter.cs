using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tend.Core.Domain;

/// <summary>
/// A logged row's features: written as texts, read back from texts or from the tokens a client sent
/// (<see cref="JsonFeatures"/>): a number's text as written, <c>true</c>/<c>false</c>, or null.
/// </summary>
public sealed class FeatureCellsConverter : JsonConverter<IReadOnlyDictionary<string, string?>>
{
    public override IReadOnlyDictionary<string, string?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("expected the features as a JSON object");
        var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            cells[name] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => null,
                _ => throw new JsonException($"feature '{name}': expected a text, number, true, false or null"),
            };
        }
        return cells;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string?> value, JsonSerializerOptions options) => WriteCells(writer, value);

    /// <summary>The features as one JSON object of texts.</summary>
    public static void WriteCells(Utf8JsonWriter writer, IReadOnlyDictionary<string, string?> cells)
    {
        writer.WriteStartObject();
        foreach (var (name, cell) in cells)
            writer.WriteString(name, cell);
        writer.WriteEndObject();
    }
}
