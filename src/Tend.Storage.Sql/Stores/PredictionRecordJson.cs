using System.Globalization;
using System.Text;
using System.Text.Json;

using Tend.Core.Domain;

namespace Tend.Storage.Sql.Stores;

/// <summary>
/// A prediction log record's body as the store keeps it, written and read field by field: the log stores one for every
/// prediction served, and the reflection-based serializer spent a fifth of the server's time on them (bench/README.md).
/// The request id, time and model are the store's columns and the feedback is joined at reading, so the body holds the
/// rest, with the features as an array of values named by a <see cref="FeatureSet"/> that is stored once. Bodies written
/// before feature sets hold the whole record with its features as an object; they read back the same.
/// </summary>
internal static class PredictionRecordJson
{
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version"), Route = JsonEncodedText.Encode("route"),
        FeatureSetId = JsonEncodedText.Encode("feature_set"), Features = JsonEncodedText.Encode("features"), Prediction = JsonEncodedText.Encode("prediction"),
        Score = JsonEncodedText.Encode("score"), LatencyMs = JsonEncodedText.Encode("latency_ms"), Error = JsonEncodedText.Encode("error");

    /// <summary>Writes <paramref name="record"/>'s body, its features as the values of its row's feature set, in order.</summary>
    public static void Write(Utf8JsonWriter writer, PredictionRecord record)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Version, record.Version);
        writer.WriteString(Route, record.Route);
        writer.WriteString(FeatureSetId, record.Features.Set.Id);
        writer.WritePropertyName(Features);
        record.Features.WriteTo(writer);
        writer.WriteString(Prediction, record.Prediction);
        writer.WritePropertyName(Score);
        if (record.Score is { } score)
            TendJson.WriteNumber(writer, score);
        else
            writer.WriteNullValue();
        writer.WritePropertyName(LatencyMs);
        TendJson.WriteNumber(writer, record.LatencyMs);
        writer.WriteString(Error, record.Error);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The record of <paramref name="requestId"/>, made at <paramref name="time"/> by <paramref name="model"/>, whose
    /// body is <paramref name="body"/>; <paramref name="sets"/> finds a feature set by its id.
    /// </summary>
    public static PredictionRecord Read(ReadOnlyMemory<byte> body, string requestId, DateTimeOffset time, string model, Func<string, FeatureSet> sets)
    {
        var reader = new Utf8JsonReader(body.Span);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("expected a prediction record as a JSON object");
        var (version, route, prediction, score, latencyMs, error) = (0, "", "", (double?)null, 0.0, (string?)null);
        var features = FeatureRow.None;
        FeatureSet? set = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "version": version = reader.GetInt32(); break;
                case "route": route = reader.GetString()!; break;
                case "feature_set": set = sets(reader.GetString()!); break;
                case "features":
                    features = reader.TokenType == JsonTokenType.StartObject ? Cells(ref reader)
                        : JsonTokenRow.Read(ref reader, body, set ?? throw new JsonException("features before their feature_set"));
                    break;
                case "prediction": prediction = reader.GetString()!; break;
                case "score": score = reader.TokenType == JsonTokenType.Null ? null : Number(ref reader); break;
                case "latency_ms": latencyMs = Number(ref reader); break;
                case "error": error = reader.GetString(); break;
                default: reader.Skip(); break; // the request id, time, model and feedback of a body written before feature sets
            }
        }
        return new PredictionRecord(requestId, time, model, version, route, features, prediction, score, latencyMs, Error: error);
    }

    /// <summary>A number, or one of the named literals <see cref="TendJson.WriteNumber"/> writes.</summary>
    private static double Number(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? double.Parse(reader.GetString()!, CultureInfo.InvariantCulture) : reader.GetDouble();

    /// <summary>Features written as an object of cells, before feature sets.</summary>
    private static FeatureRow Cells(ref Utf8JsonReader reader)
    {
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
        return FeatureRow.Of(cells);
    }
}
