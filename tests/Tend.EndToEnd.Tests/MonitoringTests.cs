using System.Text;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

public class MonitoringTests
{
    /// <summary>
    /// Serves the rows through real HTTP, sends feedback for every other one, then runs 'tend monitor run --json' — with
    /// the stored training data deleted first: serving and monitoring use the model, the profiles and the prediction
    /// profile stored at training, never the data itself.
    /// </summary>
    private static async Task<JsonElement> ServeAndMonitorAsync(TestWorkspace ws, Table traffic)
    {
        foreach (var data in Directory.EnumerateFiles(Path.Combine(ws.Dir, ".tend", "artifacts", "datasets"), "data.parquet", SearchOption.AllDirectories))
            File.Delete(data);
        await using (var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = new HttpClient { BaseAddress = new Uri(url) };
                var label = traffic.IndexOf("type");
                for (var i = 0; i < traffic.Rows.Count; i++)
                {
                    var response = await http.PostAsync("/v1/models/spam/predict", new StringContent(FeatureJson.Of(traffic, i, "type"), Encoding.UTF8, "application/json"));
                    response.EnsureSuccessStatusCode();
                    if (i % 2 == 1)
                        continue;
                    var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("request_id").GetString();
                    var feedback = await http.PostAsync("/v1/feedback", new StringContent($"{{\"request_id\": \"{id}\", \"label\": \"{traffic.Rows[i][label]}\"}}", Encoding.UTF8, "application/json"));
                    feedback.EnsureSuccessStatusCode();
                }
            }
        }
        return await Cli.JsonAsync(ws.Dir, "monitor", "run");
    }

    [Fact]
    public async Task Monitor_UnshiftedTraffic_NoDatasetDrift_AndLiveAccuracyFromFeedback()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var report = await ServeAndMonitorAsync(ws, new Table(ws.Rest.Columns, ws.Rest.Rows.Take(600).ToList()));
        Assert.False(report.GetProperty("dataset_drift").GetBoolean(), report.ToString());
        Assert.False(report.GetProperty("prediction_drift").GetProperty("drifted").GetBoolean(), report.ToString());
        Assert.Equal("chi_square", report.GetProperty("prediction_drift").GetProperty("statistic").GetString());
        Assert.Equal(57, report.GetProperty("features").GetArrayLength());
        var feature = report.GetProperty("features")[0];
        foreach (var field in new[] { "name", "statistic", "value", "drifted" })
            Assert.True(feature.TryGetProperty(field, out _), field);
        var performance = report.GetProperty("performance");
        Assert.Equal(300, performance.GetProperty("rows_with_feedback").GetInt32());
        Assert.InRange(performance.GetProperty("value").GetDouble(), 0.85, 1.0);
    }

    [Fact]
    public async Task Monitor_ShiftedTraffic_DetectsDatasetDrift()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        // A spam campaign: the served mail is spam only, against 39 % spam in training.
        var label = ws.Rest.IndexOf("type");
        var report = await ServeAndMonitorAsync(ws, new Table(ws.Rest.Columns, ws.Rest.Rows.Where(r => r[label] == "spam").Take(500).ToList()));
        Assert.True(report.GetProperty("dataset_drift").GetBoolean(), report.ToString());
        Assert.True(report.GetProperty("prediction_drift").GetProperty("drifted").GetBoolean(), report.ToString());
        Assert.Contains(report.GetProperty("features").EnumerateArray(), f => f.GetProperty("name").GetString() == "charDollar" && f.GetProperty("drifted").GetBoolean());

        var shown = await Cli.JsonAsync(ws.Dir, "monitor", "show");
        Assert.Equal(report.GetProperty("id").GetString(), shown.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Monitor_NoTraffic_IsNotFound()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var result = await Cli.RunAsync("monitor", "run", "--workspace", ws.Dir);
        Assert.Equal(5, result.Exit);
        Assert.Contains("no predictions", result.Stderr);
    }
}
