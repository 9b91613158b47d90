using System.Text.Json;
using Tend.Core.Domain;

namespace Tend.Serving;

/// <summary>
/// The native answer as JSON, written field by field: every predict request gets one, and the serializer's walk over
/// the records and their dictionaries was a tenth of the server's time (bench/README.md). It writes the same text as
/// <see cref="TendJson.Serialize{T}"/> (tested).
/// </summary>
public static class PredictionResponseJson
{
    private static readonly JsonEncodedText Model = JsonEncodedText.Encode("model"), Version = JsonEncodedText.Encode("version"),
        Route = JsonEncodedText.Encode("route"), Predictions = JsonEncodedText.Encode("predictions"), RequestId = JsonEncodedText.Encode("request_id"),
        Prediction = JsonEncodedText.Encode("prediction"), Score = JsonEncodedText.Encode("score"), Probabilities = JsonEncodedText.Encode("probabilities"),
        Contributions = JsonEncodedText.Encode("contributions");

    public static void Write(Utf8JsonWriter writer, PredictionResponse response)
    {
        writer.WriteStartObject();
        writer.WriteString(Model, response.Model);
        writer.WriteNumber(Version, response.Version);
        writer.WriteString(Route, response.Route);
        writer.WriteStartArray(Predictions);
        foreach (var row in response.Predictions)
        {
            writer.WriteStartObject();
            writer.WriteString(RequestId, row.RequestId);
            writer.WritePropertyName(Prediction);
            if (row.Prediction is double number)
                TendJson.WriteNumber(writer, number);
            else
                writer.WriteStringValue((string)row.Prediction);
            writer.WritePropertyName(Score);
            TendJson.WriteNumber(writer, row.Score);
            writer.WritePropertyName(Probabilities);
            if (row.Probabilities is null)
                writer.WriteNullValue();
            else
            {
                writer.WriteStartObject();
                foreach (var (label, probability) in row.Probabilities)
                {
                    writer.WritePropertyName(label);
                    TendJson.WriteNumber(writer, probability);
                }
                writer.WriteEndObject();
            }
            if (row.Contributions is { } contributions) // ?explain=true, the slow path: the serializer writes them
            {
                writer.WritePropertyName(Contributions);
                JsonSerializer.Serialize(writer, contributions, TendJson.Options);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
