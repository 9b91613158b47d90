using System.Text.Json;

namespace Tend.Core.Domain;

/// <summary>
/// A prediction log record as JSON, written field by field: the log stores one for every prediction served, and the
/// reflection-based serializer spent a fifth of the server's time on them (bench/README.md). It writes the same text
/// as <see cref="TendJson.Serialize{T}"/> without the feedback, which is joined at reading (tested); records are read
/// back with <see cref="TendJson"/>.
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
        writer.WriteStartObject(Features);
        foreach (var (name, value) in record.Features)
            writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WriteString(Prediction, record.Prediction);
        writer.WritePropertyName(Score);
        if (record.Score is { } score)
            Number(writer, score);
        else
            writer.WriteNullValue();
        writer.WritePropertyName(LatencyMs);
        Number(writer, record.LatencyMs);
        writer.WriteNull(Feedback);
        writer.WriteString(Error, record.Error);
        writer.WriteEndObject();
    }

    /// <summary>A number, or NaN and the infinities as the named literals <see cref="TendJson"/> allows.</summary>
    private static void Number(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
