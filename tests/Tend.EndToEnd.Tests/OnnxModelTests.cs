using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// ONNX models trained elsewhere: imported, evaluated, promoted, served through every protocol and batch scored, and
/// each answer equal to what scikit-learn predicts for the same rows. The graphs and scikit-learn's probabilities come
/// from tests/data/onnx/make_onnx.py (scikit-learn 1.2.1, onnx 1.12.0, Debian 12's packages).
/// </summary>
public class OnnxModelTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "data", "onnx");
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json"))).RootElement;

    /// <summary>The graph computes in float32; scikit-learn in float64.</summary>
    private const double Tolerance = 2e-5;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    [Fact]
    public async Task MatrixInputBinary_IsImportedEvaluatedPromoted_AndAnswersAsScikitLearnThroughEveryProtocol()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var spam = Expected.GetProperty("spam");
        var features = Strings(spam.GetProperty("features"));
        var onnx = Path.Combine(Folder, "spam_logreg.onnx");

        var unnamed = await Cli.RunAsync("models", "import", onnx, "--classes", "nonspam,spam", "--workspace", ws.Dir);
        Assert.Equal(2, unnamed.Exit);
        Assert.Contains("input 'X' is a float tensor [N, 57]; one input per feature ([N] or [N, 1]) was expected, or name a matrix input's columns as the features (--features)", unnamed.ToString());
        var classless = await Cli.RunAsync("models", "import", onnx, "--features", string.Join(",", features), "--workspace", ws.Dir);
        Assert.Contains("a binary model needs its classes, its label values in the order of its scores (scikit-learn: classes_) (--classes)", classless.ToString());
        var short_ = await Cli.RunAsync("models", "import", onnx, "--features", "make,address", "--classes", "nonspam,spam", "--workspace", ws.Dir);
        Assert.Contains("the features name 2 columns, so [N, 2] was expected (--features)", short_.ToString());

        var imported = await Cli.JsonAsync(ws.Dir, "models", "import", onnx, "--features", string.Join(",", features), "--classes", "nonspam,spam");
        Assert.Equal(1, imported.GetProperty("version").GetInt32());
        var evaluation = await Cli.JsonAsync(ws.Dir, "evaluate", "spam@1");
        Assert.True(evaluation.GetProperty("passed").GetBoolean(), evaluation.ToString());
        Assert.InRange(evaluation.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.95, 1.0);
        await Cli.JsonAsync(ws.Dir, "models", "promote", "spam", "1", "--reason", "the team's scikit-learn model");

        var data = CsvReader.ReadFile(TestWorkspace.SpamCsv);
        var probabilities = spam.GetProperty("probabilities").EnumerateArray().Select(p => p[1].GetDouble()).ToList();
        var predictions = Strings(spam.GetProperty("predictions"));
        var rows = Enumerable.Range(0, probabilities.Count).ToList();
        void AgreesWithScikitLearn(IEnumerable<(string? Prediction, double Probability)> answers)
        {
            var list = answers.ToList();
            Assert.Equal(predictions, list.Select(a => a.Prediction));
            Assert.All(rows, i => Assert.Equal(probabilities[i], list[i].Probability, Tolerance));
        }

        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            async Task<JsonElement> Post(string path, string json)
            {
                var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            }
            var records = $"[{string.Join(",", rows.Select(i => FeatureJson.Of(data, i, "type")))}]";
            AgreesWithScikitLearn((await Post("/v1/models/spam/predict", records)).GetProperty("predictions").EnumerateArray()
                .Select(p => (p.GetProperty("prediction").GetString(), p.GetProperty("probabilities").GetProperty("spam").GetDouble())));

            var metadata = JsonDocument.Parse(await http.GetStringAsync("/v2/models/spam")).RootElement;
            Assert.Equal("onnxruntime", metadata.GetProperty("platform").GetString());
            double Cell(int row, string column) => double.Parse(data.Rows[row][data.IndexOf(column)]!, CultureInfo.InvariantCulture);
            var batch = JsonSerializer.Serialize(new { inputs = new[] { new { name = "rows", datatype = "FP64", shape = new[] { rows.Count, features.Count }, data = rows.Select(r => features.Select(f => Cell(r, f))) } } });
            var outputs = (await Post("/v2/models/spam/infer", batch)).GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
            AgreesWithScikitLearn(outputs["prediction"].GetProperty("data").EnumerateArray().Zip(outputs["probability"].GetProperty("data").EnumerateArray(), (p, q) => (p.GetString(), q.GetDouble())));

            AgreesWithScikitLearn((await Post("/invocations", $"{{\"dataframe_records\": {records}}}")).GetProperty("predictions").EnumerateArray()
                .Select(p => (p.GetProperty("prediction").GetString(), p.GetProperty("probability").GetDouble())));

            var explain = await http.PostAsync("/v1/models/spam/predict?explain=true", new StringContent(FeatureJson.Of(data, 0, "type"), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, explain.StatusCode);
            Assert.Contains("spam@1 is an imported onnx model; per-feature contributions need a model Tend trained", await explain.Content.ReadAsStringAsync());
        }

        var input = ws.Write("first.csv", data.Select([.. rows]));
        var output = Path.Combine(ws.Dir, "scored.csv");
        await Cli.JsonAsync(ws.Dir, "predict", input, "-o", output, "--model", "spam@champion");
        var scored = CsvReader.ReadFile(output);
        AgreesWithScikitLearn(scored.Rows.Select(r => (r[^2], double.Parse(r[^1]!, CultureInfo.InvariantCulture))));
        var lineage = await Cli.JsonAsync(ws.Dir, "lineage", "spam@1");
        Assert.Equal("onnx", lineage.GetProperty("run").GetProperty("params").GetProperty("format").GetString());
    }

    [Fact]
    public async Task OneInputPerFeatureMulticlass_WithADoubleInput_ScoresAsScikitLearn()
    {
        var dir = Directory.CreateTempSubdirectory("tend-onnx-").FullName;
        try
        {
            var penguins = Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv");
            Assert.Equal(0, (await Cli.RunAsync("init", dir, "--task", "multiclass", "--label", "species", "--data", penguins, "--name", "penguins")).Exit);
            await Cli.JsonAsync(dir, "data", "add", penguins);
            var expected = Expected.GetProperty("penguins");
            var classes = Strings(expected.GetProperty("classes"));
            var onnx = Path.Combine(Folder, "penguins_logreg.onnx");
            var binary = await Cli.RunAsync("models", "import", onnx, "--classes", "Adelie,Chinstrap", "--workspace", dir);
            Assert.Contains("no output is a float tensor [N, 2]", binary.ToString());

            var imported = await Cli.JsonAsync(dir, "models", "import", onnx, "--classes", string.Join(",", classes));
            Assert.Equal(1, imported.GetProperty("version").GetInt32());

            var data = CsvReader.ReadFile(penguins);
            var rows = expected.GetProperty("rows").EnumerateArray().Select(r => r.GetInt32()).ToArray();
            var input = Path.Combine(dir, "rows.csv");
            File.WriteAllBytes(input, CsvWriter.ToBytes(data.Select(rows)));
            var output = Path.Combine(dir, "scored.csv");
            await Cli.JsonAsync(dir, "predict", input, "-o", output, "--model", "penguins@1");
            var scored = CsvReader.ReadFile(output);
            Assert.Equal([.. data.Columns, "prediction", .. classes.Select(c => $"probability_{c}")], scored.Columns);
            Assert.Equal(Strings(expected.GetProperty("predictions")), scored.Rows.Select(r => r[data.Columns.Count]));
            var probabilities = expected.GetProperty("probabilities").EnumerateArray().ToList();
            for (var i = 0; i < rows.Length; i++)
                for (var k = 0; k < classes.Count; k++)
                    Assert.Equal(probabilities[i][k].GetDouble(), double.Parse(scored.Rows[i][data.Columns.Count + 1 + k]!, CultureInfo.InvariantCulture), Tolerance);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
