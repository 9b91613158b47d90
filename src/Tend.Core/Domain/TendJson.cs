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

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> whole: to a temporary file beside it, renamed over it, so a reader never sees half.</summary>
    public static void WriteFile<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, Serialize(value));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A number as <see cref="Options"/> writes it: NaN and the infinities as the named literals it allows.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented };
        Configure(options);
        return options;
    }

    /// <summary>An enum value's name as Tend's JSON writes it (snake_case): <c>rolled_back</c>.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Makes <paramref name="options"/> write and read as <see cref="Options"/> does (the server's HTTP JSON, for one).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new EnumNames());
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }
}
