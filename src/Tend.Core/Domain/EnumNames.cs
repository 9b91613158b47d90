using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tend.Core.Domain;

/// <summary>
/// Enums as snake_case names, read without regard to case. A text that names no value is refused with the names it could
/// be, and so is a number (it may name no value at all), so a request's bad enum says what was expected.
/// </summary>
internal sealed class EnumNames : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Names<>).MakeGenericType(typeToConvert))!;

    private sealed class Names<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly Dictionary<T, string> NameOf = Enum.GetValues<T>().Distinct()
            .ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        private static readonly Dictionary<string, T> ValueOf = NameOf.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

        private static string Choices => string.Join(", ", NameOf.Values);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()!) : throw new JsonException($"expected one of: {Choices}");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(NameOf[value]);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(NameOf[value]);

        private static T Parse(string text) => ValueOf.TryGetValue(text, out var value) ? value : throw new JsonException($"'{text}' is not one of: {Choices}");
    }
}
