using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving.Tests;

/// <summary>Requests checked against the signature beyond type: nulls the data never had, categories it never held, fields that are not features.</summary>
public class SignatureCheckTests
{
    /// <summary>'size' is sometimes missing in the data, 'colour' never is; colours are red, green and blue.</summary>
    private static readonly FeatureLayout Layout = LayoutOf(new Table(["size", "colour", "y"],
        Enumerable.Range(0, 30).Select(i => new string?[] { i % 5 == 0 ? null : $"{i}", new[] { "red", "green", "blue" }[i % 3], i % 2 == 0 ? "a" : "b" }).ToList()));

    private static FeatureLayout LayoutOf(Table data)
    {
        var spec = new ProjectSpec("t", "", MlTask.Binary, "y", "a", new SuccessMetric("auc", 0), [], new SplitSpec(), TrainSpec.Default, new MonitorSpec());
        return FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf("y")));
    }

    private static byte[] Json(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    [Fact]
    public void TheSignature_KnowsWhatTheDataNeverLeftMissing_AndItsCategories()
    {
        Assert.Equal(["colour"], Layout.NeverMissing);
        Assert.Equal(["blue", "green", "red"], Layout.KnownCategories!["colour"].Order());
    }

    [Fact]
    public void ANull_WhereTheDataHadNone_IsRefused_ElsewhereAllowed()
    {
        var error = Assert.Throws<TendException>(() => RequestReader.Read(Json("""{"size": 3, "colour": null}"""), Layout));
        Assert.Equal("field 'colour' is null, but the training data never left it missing; send a value", error.Message);
        Assert.Null(RequestReader.Read(Json("""{"size": null, "colour": "red"}"""), Layout).ToTable().Rows[0][0]);
    }

    [Fact]
    public void UnseenCategories_AndUnknownFields_AreCounted_OrUnknownFieldsRefused()
    {
        var check = new SignatureCheck(Layout);
        var rows = RequestReader.Read(Json("""[{"size": 1, "colour": "purple", "id": 7}, {"size": 2, "colour": "red", "id": 8, "note": "x"}, {"size": 3, "colour": "purple"}]"""), check).ToTable();
        Assert.Equal("purple", rows.Rows[0][1]); // allowed: the model sees no indicator for it
        Assert.Equal(new Dictionary<string, int> { ["colour"] = 2 }, check.UnseenCategories);
        Assert.Equal(new Dictionary<string, int> { ["id"] = 2, ["note"] = 1 }, check.UnknownFields);

        var strict = new SignatureCheck(Layout, rejectUnknownFields: true);
        var error = Assert.Throws<TendException>(() => RequestReader.Read(Json("""[{"size": 1, "colour": "red"}, {"size": 1, "colour": "red", "id": 7}]"""), strict));
        Assert.StartsWith("row 1: field 'id' is not a feature of the model; it takes: size, colour", error.Message);
    }
}
