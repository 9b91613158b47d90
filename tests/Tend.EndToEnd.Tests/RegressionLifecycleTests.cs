using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>The loop on a regression task: penguins' body mass from the other measurements.</summary>
public sealed class RegressionLifecycleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-mass-").FullName;

    [Fact]
    public async Task PenguinMass_TrainServeFeedbackAndMonitor()
    {
        var metrics = (await PenguinProject.WithChampionAsync(_dir, "regression", "body_mass_g", "mass")).GetProperty("metrics");
        Assert.InRange(metrics.GetProperty("r2").GetDouble(), 0.7, 1.0);
        Assert.InRange(metrics.GetProperty("mae").GetDouble(), 0, metrics.GetProperty("rmse").GetDouble());
        var page = Path.Combine(_dir, "evaluation.html");
        var rows = (await Cli.JsonAsync(_dir, "evaluate", "mass@1", "--report", page)).GetProperty("rows").GetInt32();
        var html = File.ReadAllText(page);
        Assert.Contains($"<title>Residuals of {rows} rows</title>", html); // the residual plot is drawn, a point a row
        Assert.Equal(rows, System.Text.RegularExpressions.Regex.Count(html, "<circle "));

        var errors = new List<double>();
        await using (var ws = await Workspace.OpenAsync(_dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(ws, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                // Only the heavy birds (Gentoo) are served: their predicted mass is far above the training mix.
                var penguins = CsvReader.ReadFile(PenguinProject.Csv);
                var gentoo = penguins.Select(Enumerable.Range(0, penguins.Rows.Count).Where(i => penguins.Rows[i][0] == "Gentoo" && penguins.Rows[i][5] is not null));
                for (var i = 0; i < gentoo.Rows.Count; i++)
                {
                    var mass = gentoo.Rows[i][5]!;
                    var response = await http.PostAsync("/v1/models/mass/predict", new StringContent(FeatureJson.Of(gentoo, i, "body_mass_g"), Encoding.UTF8, "application/json"));
                    response.EnsureSuccessStatusCode();
                    var prediction = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0];
                    Assert.False(prediction.TryGetProperty("probabilities", out var p) && p.ValueKind != JsonValueKind.Null);
                    Assert.Equal(prediction.GetProperty("score").GetDouble(), prediction.GetProperty("prediction").GetDouble()); // a number, not its text
                    errors.Add(Math.Abs(double.Parse(mass, System.Globalization.CultureInfo.InvariantCulture) - prediction.GetProperty("score").GetDouble()));
                    (await http.PostAsJsonAsync("/v1/feedback", new { request_id = prediction.GetProperty("request_id").GetString(), label = mass })).EnsureSuccessStatusCode();
                }
            }
        }

        var report = await Cli.JsonAsync(_dir, "monitor", "run");
        var performance = report.GetProperty("performance");
        Assert.Equal("r2", performance.GetProperty("metric").GetString()); // the project's metric
        Assert.Equal(errors.Count, performance.GetProperty("rows_with_feedback").GetInt32());
        Assert.Equal(errors.Average(), performance.GetProperty("metrics").GetProperty("mae").GetDouble(), 6);
        var predictionDrift = report.GetProperty("prediction_drift");
        Assert.Equal("ks", predictionDrift.GetProperty("statistic").GetString());
        Assert.True(predictionDrift.GetProperty("drifted").GetBoolean(), predictionDrift.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
