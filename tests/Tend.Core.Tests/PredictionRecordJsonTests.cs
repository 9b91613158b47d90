using System.Text;
using System.Text.Json;
using Tend.Core.Domain;

namespace Tend.Core.Tests;

public class PredictionRecordJsonTests
{
    public static TheoryData<PredictionRecord> Records => new()
    {
        new PredictionRecord("0193a1b2c3d4", new DateTimeOffset(2026, 11, 23, 4, 5, 6, 789, TimeSpan.Zero), "spam", 3, "canary",
            new Dictionary<string, string?> { ["word_freq_make"] = "0.21", ["city"] = "Zürich \"Nord\" <1>", ["missing"] = null }, "spam", 0.987654321012345, 0.0421),
        new PredictionRecord("r2", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), "ames", 1, "primary",
            new Dictionary<string, string?> { ["area"] = "1e3" }, "181000.5", double.NaN, double.PositiveInfinity),
        new PredictionRecord("r3", DateTimeOffset.UnixEpoch, "penguins", 2, "pinned", new Dictionary<string, string?>(), "Adelie", null, 1e-9),
        PredictionRecord.Rejected("r4", "spam", 1, "primary", "field 'x' must be a number or null, got the text \"é\""),
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void WritesWhatTheSerializerWrites_AndReadsBack(PredictionRecord record)
    {
        var expected = TendJson.Serialize(record with { Feedback = null });
        var written = Write(record with { Feedback = "spam" }); // feedback is joined at reading, never stored with the record

        Assert.Equal(expected, written);
        var read = TendJson.Deserialize<PredictionRecord>(written);
        Assert.Equal(record.Features, read.Features);
        Assert.Equal(record.Score, read.Score);
        Assert.Equal(record with { Features = read.Features }, read);
    }

    [Fact]
    public void FeaturesAsSent_AreWrittenAsTheClientsTokens_AndReadBackAsTheCellsTheServerRead()
    {
        var body = Encoding.UTF8.GetBytes("""{"income": 1.50e3, "home": "r\u00e9nt \"x\"", "active": true, "note": null}""");
        var spans = Spans(body);
        var features = new JsonFeatures(new JsonFeatures.Names(["income", "home", "active", "note"]), body, spans);
        var record = new PredictionRecord("r1", DateTimeOffset.UnixEpoch, "credit", 1, "primary", features, "yes", 0.75, 0.1);

        var written = Write(record);

        Assert.Contains("""
            "features":{"income":1.50e3,"home":"r\u00e9nt \"x\"","active":true,"note":null}
            """, written);
        var cells = new Dictionary<string, string?> { ["income"] = "1.50e3", ["home"] = "rént \"x\"", ["active"] = "true", ["note"] = null };
        Assert.Equal(cells, features.ToDictionary());
        Assert.Equal(cells, TendJson.Deserialize<PredictionRecord>(written).Features);
        Assert.Equal(TendJson.Serialize(record with { Features = cells }), TendJson.Serialize(record));
    }

    /// <summary>Each value's token as (start, length) in a flat JSON object, as the server's request reader records them.</summary>
    private static int[] Spans(byte[] body)
    {
        var spans = new List<int>();
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.EndObject or JsonTokenType.PropertyName))
                spans.AddRange([(int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex)]);
        return [.. spans];
    }

    private static string Write(PredictionRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            PredictionRecordJson.Write(writer, record);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
