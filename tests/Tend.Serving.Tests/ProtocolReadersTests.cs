using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Tabular;
using Tend.Serving.Protocols;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving.Tests;

/// <summary>The protocol readers on a model with categorical features (penguins): every format reads the same rows.</summary>
public class ProtocolReadersTests
{
    private static readonly Table Penguins = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv"));

    private static readonly Lazy<TrainedModel> Model = new(() =>
    {
        var spec = new ProjectSpec("p", "", MlTask.Multiclass, "species", null, new SuccessMetric("macro_accuracy", 0), [], new SplitSpec(), TrainSpec.Default, new MonitorSpec());
        return ModelTrainer.Fit(Penguins, FeatureLayout.From(SchemaInference.Infer(Penguins), spec, Penguins.Column(Penguins.IndexOf("species"))), spec, CancellationToken.None);
    });

    private static FeatureLayout Layout => Model.Value.Layout;

    private static JsonElement Json(object value) => JsonDocument.Parse(JsonSerializer.Serialize(value)).RootElement;

    /// <summary>Rows 0–4 with a missing value in them (penguins has some), as JSON values: numbers for numeric columns, text for the rest.</summary>
    private static object?[][] Rows()
    {
        var features = Layout.Features.ToList();
        return Enumerable.Range(0, 5).Select(r => features.Select(f => Penguins.Rows[r][Penguins.IndexOf(f)] is { } cell
            ? Layout.Numeric.Contains(f) ? double.Parse(cell, System.Globalization.CultureInfo.InvariantCulture) : (object)cell
            : null).ToArray()).ToArray();
    }

    private static Table Native()
    {
        var features = Layout.Features.ToList();
        return RequestReader.Read(JsonSerializer.SerializeToUtf8Bytes(Rows().Select(r => features.Select((f, c) => (f, r[c])).ToDictionary(x => x.f, x => x.Item2))), Layout).ToTable();
    }

    [Fact]
    public void OpenInference_PerFeatureTensors_AndOneBytesTensor_ReadAsTheNativeRows()
    {
        var features = Layout.Features.ToList();
        var rows = Rows();
        var perFeature = OpenInference.Read(Json(new
        {
            inputs = features.Select((f, c) => new { name = f, datatype = Layout.Numeric.Contains(f) ? "FP32" : "BYTES", shape = new[] { rows.Length, 1 }, data = rows.Select(r => r[c]) }),
        }), Layout);
        var bytes = OpenInference.Read(Json(new
        {
            inputs = new[] { new { name = "rows", datatype = "BYTES", shape = new[] { rows.Length, features.Count }, data = rows.Select(r => r.Select(v => v is double d ? Cells.Format(d) : (string?)v)) } },
        }), Layout);
        var native = Native();
        Assert.Equal(native.Rows, perFeature.Rows);
        Assert.Equal(native.Rows, bytes.Rows);
        Assert.Contains(native.Rows, r => r.Contains(null)); // missing values travel as null

        var metadata = OpenInference.Metadata(new ServedModel(new ModelVersion("p", 1, "r", "a", "c", "d", new Dictionary<string, double>(), DateTimeOffset.UtcNow, []), Model.Value), [1]);
        Assert.Equal("BYTES", metadata.Inputs.Single(i => i.Name == "island").Datatype);
        Assert.Equal([-1, 3], metadata.Outputs.Single(o => o.Name == "probabilities").Shape);
    }

    [Fact]
    public void OpenInference_ANumericTensorForAModelWithCategories_IsRefusedWithTheWayOut()
    {
        var features = Layout.Features.Count();
        var body = Json(new { inputs = new[] { new { name = "rows", datatype = "FP32", shape = new[] { 1, features }, data = Enumerable.Repeat(1.0, features) } } });
        var error = Assert.Throws<TendException>(() => OpenInference.Read(body, Layout));
        Assert.Contains("send BYTES or one input per feature", error.Message);
    }

    [Fact]
    public void Mlflow_EveryBodyFormat_ReadsAsTheNativeRows()
    {
        var features = Layout.Features.ToList();
        var rows = Rows();
        var records = rows.Select(r => features.Select((f, c) => (f, r[c])).ToDictionary(x => x.f, x => x.Item2)).ToArray();
        var columnar = features.Select((f, c) => (f, rows.Select(r => r[c]).ToArray())).ToDictionary(x => x.f, x => x.Item2);
        var native = Native();
        foreach (var body in new object[]
                 {
                     new { dataframe_split = new { columns = features, data = rows } }, new { dataframe_records = records }, new { instances = records }, new { inputs = columnar },
                 })
            Assert.Equal(native.Rows, MlflowScoring.ReadJson(Json(body), Layout).Rows);
        var csv = string.Join(",", features) + "\n" + string.Join("\n", rows.Select(r => string.Join(",", r.Select(v => v is double d ? Cells.Format(d) : (string?)v))));
        Assert.Equal(native.Rows, MlflowScoring.ReadCsv(csv, Layout).Rows);
    }
}
