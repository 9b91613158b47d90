using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tend.Core.Domain;

/// <summary>The one JSON shape Tend writes everywhere (store, the CLI's JSON output, REST): snake_case names, enums as lower-case text.</summary>
public static class TendJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    /// <summary>A number as <see cref="Options"/> writes it: NaN and the infinities as the named literals it allows.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = indented,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
