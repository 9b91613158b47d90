using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Training.Models;

namespace Tend.Serving.Tests;

public class PredictionResponseJsonTests
{
    public static TheoryData<PredictionResponse> Responses => new()
    {
        new PredictionResponse("spam", 2, "canary", [new RowPrediction("0193a1b2", "spam", 0.987654321012345, new Dictionary<string, double> { ["nonspam"] = 0.012345678987655, ["spam"] = 0.987654321012345 })]),
        new PredictionResponse("penguins", 1, "primary", [
            new RowPrediction("a", "Adelie", 0.7, new Dictionary<string, double> { ["Adelie"] = 0.7, ["Chinstrap"] = 0.2, ["Gentoo"] = 0.1 }),
            new RowPrediction("b", "Gentoo \"G\" <é>", 1e-9, new Dictionary<string, double> { ["Adelie"] = 0, ["Chinstrap"] = 0, ["Gentoo \"G\" <é>"] = 1 })]),
        new PredictionResponse("ames", 3, "pinned", [new RowPrediction("r", 181000.5, 181000.5, null), new RowPrediction("s", double.NaN, double.NaN, null)]),
        new PredictionResponse("credit", 1, "primary", [new RowPrediction("e", "good", 0.8, new Dictionary<string, double> { ["bad"] = 0.2, ["good"] = 0.8 })
            { Contributions = [new ColumnContribution("Income", "120", 0.5), new ColumnContribution("Home", null, -0.25)] }]),
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void WritesWhatTheSerializerWrites(PredictionResponse response)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
            PredictionResponseJson.Write(writer, response);

        Assert.Equal(TendJson.Serialize(response), Encoding.UTF8.GetString(stream.ToArray()));
    }
}
