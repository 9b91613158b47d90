using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Tend.Server;

/// <summary>
/// A request's map of names to texts (params, tags, environment): a value that is null or not a string is refused
/// naming its key, where the serializer would have let a null in (nullability is not checked inside a dictionary).
/// </summary>
internal sealed class TextMaps : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => CanConvertType(typeToConvert);

    private static bool CanConvertType(Type type) => type == typeof(Dictionary<string, string>) || type == typeof(IReadOnlyDictionary<string, string>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        typeToConvert == typeof(Dictionary<string, string>) ? new Map<Dictionary<string, string>>() : new Map<IReadOnlyDictionary<string, string>>();

    /// <summary>The schema the serializer would give such a map (its converter hides it from /openapi/v1.json): an object of texts.</summary>
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (CanConvertType(context.JsonTypeInfo.Type))
        {
            schema.Type = JsonSchemaType.Object | JsonSchemaType.Null;
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        return Task.CompletedTask;
    }

    private sealed class Map<T> : JsonConverter<T> where T : class, IReadOnlyDictionary<string, string>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException("expected an object of names to texts");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                map[key] = reader.TokenType == JsonTokenType.String ? reader.GetString()!
                    : throw new JsonException($"'{key}' is {(reader.TokenType == JsonTokenType.Null ? "null" : "not a string")}; expected a text");
            }
            return (T)(IReadOnlyDictionary<string, string>)map;
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (key, text) in value)
                writer.WriteString(key, text);
            writer.WriteEndObject();
        }
    }
}
