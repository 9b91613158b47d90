using System.Text;
using System.Text.Json;
using Tend.Core.Domain;

using Tend.Storage.Sql.Stores;

namespace Tend.Storage.Sql.Tests;

public class PredictionRecordJsonTests
{
    public static TheoryData<PredictionRecord> Records => new()
    {
        new PredictionRecord("0193a1b2c3d4", new DateTimeOffset(2026, 11, 23, 4, 5, 6, 789, TimeSpan.Zero), "spam", 3, "canary",
            FeatureRow.Of(new Dictionary<string, string?> { ["word_freq_make"] = "0.21", ["city"] = "Zürich \"Nord\" <1>", ["missing"] = null }), "spam", 0.987654321012345, 0.0421),
        new PredictionRecord("r2", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), "ames", 1, "primary",
            FeatureRow.Of(new Dictionary<string, string?> { ["area"] = "1e3" }), "181000.5", double.NaN, double.PositiveInfinity),
        new PredictionRecord("r3", DateTimeOffset.UnixEpoch, "penguins", 2, "pinned", FeatureRow.None, "Adelie", null, 1e-9),
        PredictionRecord.Rejected("r4", DateTimeOffset.UnixEpoch, "spam", 1, "primary", "field 'x' must be a number or null, got the text \"é\""),
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void ABody_ReadsBackAsTheRecord_WithoutItsFeedback(PredictionRecord record)
    {
        var set = record.Features.Set;
        var body = Write(record with { Feedback = "spam" }); // feedback is joined at reading, never stored with the record

        var read = Read(body, record, set);

        Assert.Equal(record.Features, read.Features);
        Assert.Equal(record with { Features = read.Features }, read);
        Assert.DoesNotContain("spam\",\"feedback", body);
    }

    [Fact]
    public void FeaturesAsSent_AreWrittenAsTheClientsTokens_InTheSetsOrder_AndReadBackAsTheCellsTheServerRead()
    {
        var request = Encoding.UTF8.GetBytes("""{"income": 1.50e3, "home": "r\u00e9nt \"x\"", "active": true, "note": null}""");
        var set = new FeatureSet(["income", "home", "active", "note"]);
        var features = new JsonTokenRow(set, request, Spans(request));
        var record = new PredictionRecord("r1", DateTimeOffset.UnixEpoch, "credit", 1, "primary", features, "yes", 0.75, 0.1);

        var body = Write(record);

        Assert.Equal("""
            {"version":1,"route":"primary","feature_set":"f89f53d86b9a09cd","features":[1.50e3,"r\u00e9nt \"x\"",true,null],"prediction":"yes","score":0.75,"latency_ms":0.1,"error":null}
            """, body);
        var cells = new Dictionary<string, string?> { ["income"] = "1.50e3", ["home"] = "rént \"x\"", ["active"] = "true", ["note"] = null };
        Assert.Equal(cells, features.ToDictionary());
        var read = Read(body, record, set);
        Assert.IsType<JsonTokenRow>(read.Features);
        Assert.Equal(cells, read.Features.ToDictionary());
        Assert.Equal("true", read.Features["active"]);
        Assert.Equal(record with { Features = read.Features }, read);
    }

    [Fact]
    public void ABodyWrittenBeforeFeatureSets_WholeRecordWithFeaturesAsAnObject_ReadsBackTheSame()
    {
        const string before = """
            {"request_id":"r9","time":"2026-11-20T10:00:00+00:00","model":"spam","version":2,"route":"canary","features":{"make":0.5,"city":"Bern","vip":true,"note":null},"prediction":"spam","score":"NaN","latency_ms":1.5,"feedback":null,"error":null}
            """;
        var time = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

        var read = PredictionRecordJson.Read(Encoding.UTF8.GetBytes(before), "r9", time, "spam", id => throw new InvalidOperationException(id));

        var cells = new Dictionary<string, string?> { ["make"] = "0.5", ["city"] = "Bern", ["vip"] = "true", ["note"] = null };
        Assert.Equal(cells, read.Features);
        Assert.Equal(new PredictionRecord("r9", time, "spam", 2, "canary", read.Features, "spam", double.NaN, 1.5), read);
    }

    [Fact]
    public void FeatureSet_IdIsTheFirst64BitsOfTheSha256OfTheNamesAsJson()
    {
        // Python: hashlib.sha256(json.dumps(["x","y"], separators=(",",":")).encode()).hexdigest()[:16]
        var set = new FeatureSet(["x", "y"]);

        Assert.Equal("""["x","y"]""", set.Json);
        Assert.Equal("01f650e85c956201", set.Id);
        Assert.Equal(set.Id, FeatureSet.FromJson(set.Json).Id);
        Assert.Equal((1, -1), (set.IndexOf("y"), set.IndexOf("z")));
    }

    [Theory]
    [InlineData("""{"version":1,"feature_set":"s","features":[1]}""", "1 features where feature set 01f650e85c956201 has 2")]
    [InlineData("""{"version":1,"feature_set":"s","features":[1,2,3]}""", "more features than the 2 of feature set 01f650e85c956201")]
    [InlineData("""{"version":1,"features":[1,2]}""", "features before their feature_set")]
    [InlineData("""{"version":1,"feature_set":"s","features":[1,[2]]}""", "feature 2: expected a text, number, true, false or null")]
    public void ABodyWhoseFeaturesDoNotFitTheirSet_IsRefused(string body, string message)
    {
        var set = new FeatureSet(["x", "y"]);

        var e = Assert.Throws<JsonException>(() => PredictionRecordJson.Read(Encoding.UTF8.GetBytes(body), "r", DateTimeOffset.UnixEpoch, "m", _ => set));

        Assert.Equal(message, e.Message);
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

    private static PredictionRecord Read(string body, PredictionRecord record, FeatureSet set) =>
        PredictionRecordJson.Read(Encoding.UTF8.GetBytes(body), record.RequestId, record.Time, record.Model, id => id == set.Id ? set : throw new KeyNotFoundException(id));
}
