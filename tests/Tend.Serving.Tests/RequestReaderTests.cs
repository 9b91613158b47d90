using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Training.Features;

namespace Tend.Serving.Tests;

public class RequestReaderTests
{
    private static readonly FeatureLayout Layout = new(MlTask.Binary, "y", "yes", ["no", "yes"], ["income"], ["active"], ["home"],
        new Dictionary<string, IReadOnlyList<string>> { ["opened"] = ["year"] }, ["note"], []);

    private static Data.Tabular.Table Read(string json) => RequestReader.Read(System.Text.Encoding.UTF8.GetBytes(json), Layout).ToTable();

    [Fact]
    public void Read_OneObject_TypesCellsByTheSignature_IgnoringExtraFields()
    {
        var table = Read("""{"income": 1250.5, "active": true, "home": "rent", "opened": "2024-05-31", "note": "paid early", "comment": "ignored"}""");
        Assert.Equal(["income", "active", "home", "opened", "note"], table.Columns);
        Assert.Equal("1250.5|true|rent|2024-05-31|paid early", string.Join("|", table.Rows[0]));
    }

    [Fact]
    public void Read_NullsAreMissingValues_AndNumbersAreAcceptedAsCategories()
    {
        var table = Read("""[{"income": null, "active": null, "home": 3, "opened": null, "note": null}]""");
        Assert.Equal("∅|∅|3|∅|∅", string.Join("|", table.Rows[0].Select(c => c ?? "∅")));
    }

    [Theory]
    [InlineData("""{"active": true, "home": "rent"}""", "field 'income' is missing; the model needs: income, active, home, opened, note")]
    [InlineData("""{"income": "a lot", "active": true, "home": "rent"}""", "field 'income' must be a number or null, got the text \"a lot\"")]
    [InlineData("""{"income": 1, "active": "yes", "home": "rent"}""", "field 'active' must be true, false or null, got the text \"yes\"")]
    [InlineData("""{"income": 1, "active": true, "home": ["a"]}""", "field 'home' must be a text category or null, got an array")]
    [InlineData("""{"income": 1, "active": true, "home": "rent", "opened": "31/05/2024", "note": ""}""", "field 'opened' must be an ISO 8601 date or date-time text (e.g. \"2024-05-31\") or null, got the text \"31/05/2024\"")]
    [InlineData("""[{"income": 1, "active": true, "home": "rent", "opened": null, "note": null}, 7]""", "row 1: expected a JSON object of features, got the number 7")]
    [InlineData("[]", "the request holds no rows")]
    [InlineData("\"text\"", "expected a JSON object of features or an array of them, got the text \"text\"")]
    public void Read_ClientMistake_NamesTheFieldAndWhatWasExpected(string json, string expected)
    {
        var e = Assert.Throws<TendException>(() => Read(json));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Read_TextLongerThanProse_IsRefused_AndAnErrorQuotesOnlyTheStartOfAClientsText()
    {
        var note = new string('n', TextLimit.Prose);
        Assert.Equal(TextLimit.Prose, Read($$"""{"income": 1, "active": true, "home": "rent", "opened": null, "note": "{{note}}"}""").Rows[0][4]!.Length);
        var e = Assert.Throws<TendException>(() => Read($$"""{"income": 1, "active": true, "home": "rent", "opened": null, "note": "{{note}}n"}"""));
        Assert.Equal("field 'note' is 65,537 characters long; at most 65,536 are kept", e.Message);

        var quoted = Assert.Throws<TendException>(() => Read($$"""{"income": "{{note}}", "active": true, "home": "rent"}"""));
        Assert.Equal($"field 'income' must be a number or null, got the text \"{new string('n', 100)}… (65,536 characters)\"", quoted.Message);
    }
}
