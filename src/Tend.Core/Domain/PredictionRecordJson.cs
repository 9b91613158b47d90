using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// A prediction log record as JSON, written field by field: the log stores one for every prediction served, and the
/// reflection-based serializer spent a fifth of the server's time on them (bench/README.md). It writes the same text
/// as <see cref="TendJson.Serialize{T}"/> without the feedback, which is joined at reading (tested), except that features
/// kept as the client sent them (<see cref="JsonFeatures"/>) are written as sent; records are read back with
/// <see cref="TendJson"/>.
/// </summary>
public static class PredictionRecordJson
{
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("request_id"), Time = JsonEncodedText.Encode("time"),
        Model = JsonEncodedText.Encode("model"), Version = JsonEncodedText.Encode("version"), Route = JsonEncodedText.Encode("route"),
        Features = JsonEncodedText.Encode("features"), Prediction = JsonEncodedText.Encode("prediction"), Score = JsonEncodedText.Encode("score"),
        LatencyMs = JsonEncodedText.Encode("latency_ms"), Feedback = JsonEncodedText.Encode("feedback"), Error = JsonEncodedText.Encode("error");

    /// <summary>Writes <paramref name="record"/> as one JSON object, with a null feedback.</summary>
    public static void Write(Utf8JsonWriter writer, PredictionRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString(RequestId, record.RequestId);
        writer.WriteString(Time, record.Time);
        writer.WriteString(Model, record.Model);
        writer.WriteNumber(Version, record.Version);
        writer.WriteString(Route, record.Route);
        writer.WritePropertyName(Features);
        if (record.Features is JsonFeatures sent)
            sent.WriteTo(writer);
        else
            FeatureCellsConverter.WriteCells(writer, record.Features);
        writer.WriteString(Prediction, record.Prediction);
        writer.WritePropertyName(Score);
        if (record.Score is { } score)
            TendJson.WriteNumber(writer, score);
        else
            writer.WriteNullValue();
        writer.WritePropertyName(LatencyMs);
        TendJson.WriteNumber(writer, record.LatencyMs);
        writer.WriteNull(Feedback);
        writer.WriteString(Error, record.Error);
        writer.WriteEndObject();
    }
}
