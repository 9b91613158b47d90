using System.Text;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;
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
                using var http = await app.AdminAsync(url);
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
        Assert.Equal("auc", performance.GetProperty("metric").GetString()); // the project's metric
        var auc = performance.GetProperty("value").GetDouble();
        Assert.InRange(auc, 0.85, 1.0);
        Assert.InRange(auc, performance.GetProperty("low").GetDouble(), performance.GetProperty("high").GetDouble());
        Assert.InRange(performance.GetProperty("evaluated").GetDouble(), 0.85, 1.0);
        Assert.False(performance.GetProperty("concept_drift").GetBoolean(), report.ToString());
        Assert.InRange(performance.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 0.85, 1.0);
        Assert.False(report.GetProperty("label_drift").GetProperty("drifted").GetBoolean(), report.ToString());
        var estimated = report.GetProperty("estimated");
        Assert.Equal((600, 300), (estimated.GetProperty("rows").GetInt32(), estimated.GetProperty("labelled_rows").GetInt32()));
        var (guess, real) = (estimated.GetProperty("estimated_on_labelled").GetProperty("accuracy").GetDouble(), estimated.GetProperty("realized").GetProperty("accuracy").GetDouble());
        Assert.True(Math.Abs(guess - real) < 0.05, $"estimated {guess}, realized {real}");
    }

    /// <summary>Feedback that contradicts the model (every label flipped): live AUC far under the evaluated one is concept drift.</summary>
    [Fact]
    public async Task Monitor_FeedbackContradictingTheModel_IsConceptDrift()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var label = ws.Rest.IndexOf("type");
        var flipped = new Table(ws.Rest.Columns, ws.Rest.Rows.Take(200).Select(r => r.Select((c, i) => i == label ? (c == "spam" ? "nonspam" : "spam") : c).ToArray()).ToList());
        var report = await ServeAndMonitorAsync(ws, flipped);
        var performance = report.GetProperty("performance");
        Assert.True(performance.GetProperty("concept_drift").GetBoolean(), report.ToString());
        Assert.True(performance.GetProperty("high").GetDouble() < performance.GetProperty("evaluated").GetDouble());
        // Flipped labels swap the classes' shares (spambase is 39 % spam), so the labels drift too.
        Assert.True(report.GetProperty("label_drift").GetProperty("drifted").GetBoolean(), report.ToString());
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

        var id = report.GetProperty("id").GetString()!;
        Assert.Equal(id, (await Cli.JsonAsync(ws.Dir, "monitor", "show")).GetProperty("id").GetString());
        Assert.Equal(id, (await Cli.JsonAsync(ws.Dir, "monitor", "list"))[0].GetProperty("id").GetString());
        Assert.Equal(id, (await Cli.JsonAsync(ws.Dir, "monitor", "show", id[..8])).GetProperty("id").GetString());
        Assert.Equal(5, (await Cli.RunAsync("monitor", "show", "nosuchreport", "--workspace", ws.Dir)).Exit);

        var page = Path.Combine(ws.Dir, "drift.html");
        await Cli.JsonAsync(ws.Dir, "monitor", "show", id, "--report", page);
        var html = File.ReadAllText(page);
        Assert.Contains("Dataset drift detected by the rule", html);
        Assert.Contains("charDollar: ks", html); // each column's chart, reference against current
        Assert.True(System.Text.RegularExpressions.Regex.Count(html, "<svg ") >= 58, "a chart per feature and one for the predictions");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotMatch("(src|href)=['\"]?https?:", html); // nothing fetched: it opens offline
        var shown = (await Cli.RunAsync("monitor", "show", id, "--workspace", ws.Dir)).Stdout; // the terminal says what the page says
        foreach (var words in new[] { "Dataset drift detected by the rule", "Features", "charDollar" })
            Assert.Contains(words, shown);
        Assert.DoesNotContain("Distributions", shown); // the charts are the page's
        Assert.DoesNotMatch(@"\[/?(red|green|bold)\]", shown); // markup is interpreted, not printed
        var charDollar = report.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "charDollar").GetProperty("shares");
        Assert.Equal(1, charDollar.GetProperty("reference").EnumerateArray().Sum(v => v.GetDouble()), 9);
        Assert.Equal(1, charDollar.GetProperty("current").EnumerateArray().Sum(v => v.GetDouble()), 9);
    }

    [Fact]
    public async Task Monitor_FilesWithNoFeatureOfTheProject_IsAnErrorNamingBothSidesColumns()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var other = Path.Combine(ws.Dir, "other.csv");
        File.WriteAllText(other, "height,weight\n1.7,60\n1.8,80\n1.6,55\n");

        var result = await Cli.RunAsync("monitor", "run", "--reference", other, "--current", other, "--workspace", ws.Dir);

        Assert.Equal(3, result.Exit);
        Assert.Contains("no feature of 'spam' has values in both other.csv and other.csv, so there is nothing to compare. The features: make, address,", result.Stderr);
        Assert.Contains("other.csv has height, weight", result.Stderr);
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

    /// <summary>
    /// The monitor contract on two files: the first 600 held-back rows against the spam among the rest (a campaign).
    /// The champion scores both files, so the drift of its output is judged too.
    /// </summary>
    [Fact]
    public async Task Monitor_FileAgainstFile_WithAForcedStatistic_PrintsTheContract()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var label = ws.Rest.IndexOf("type");
        var reference = ws.Write("reference.csv", new Table(ws.Rest.Columns, ws.Rest.Rows.Take(600).ToList()));
        var campaign = ws.Write("campaign.csv", new Table(ws.Rest.Columns, ws.Rest.Rows.Skip(600).Where(r => r[label] == "spam").ToList()));

        var report = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--reference", reference, "--current", campaign);
        Assert.True(report.GetProperty("dataset_drift").GetBoolean(), report.ToString());
        Assert.Equal("prediction_drift", report.GetProperty("rule").GetString());
        Assert.Equal("campaign.csv", report.GetProperty("current").GetString());
        var feature = report.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "charDollar");
        Assert.Equal("ks", feature.GetProperty("statistic").GetString());
        Assert.InRange(feature.GetProperty("p_value").GetDouble(), 0, 1e-6);
        Assert.Equal(0.05, feature.GetProperty("threshold").GetDouble());
        Assert.True(feature.GetProperty("drifted").GetBoolean());

        var psi = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--reference", reference, "--current", campaign, "--statistic", "psi");
        Assert.All(psi.GetProperty("features").EnumerateArray(), f =>
        {
            Assert.Equal("psi", f.GetProperty("statistic").GetString());
            Assert.Equal(JsonValueKind.Null, f.GetProperty("p_value").ValueKind);
            Assert.Equal(0.2, f.GetProperty("threshold").GetDouble());
            Assert.Equal(f.GetProperty("value").GetDouble() >= 0.2, f.GetProperty("drifted").GetBoolean());
        });

        var same = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--reference", reference, "--current", reference);
        Assert.Equal((false, "none"), (same.GetProperty("dataset_drift").GetBoolean(), same.GetProperty("rule").GetString()));
    }

    /// <summary>A file is streamed: every row counts for the features' drift, and the champion scores a sample of its rows, which the report says.</summary>
    [Fact]
    public async Task Monitor_FileBeyondTheSample_JudgesEveryRow_AndScoresASample()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var many = Enumerable.Repeat(ws.Rest.Rows, StreamedWindow.SampleRows / ws.Rest.Rows.Count + 2).SelectMany(r => r).ToList();
        var big = ws.Write("big.csv", new Table(ws.Rest.Columns, many));

        var report = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--reference", big, "--current", big);
        Assert.Equal(many.Count, report.GetProperty("current_rows").GetInt32());
        var details = report.GetProperty("prediction_drift").GetProperty("details");
        Assert.Equal(StreamedWindow.SampleRows, details.GetProperty("scored_rows").GetDouble());
        Assert.Equal(StreamedWindow.SampleRows, details.GetProperty("reference_scored_rows").GetDouble());
        Assert.False(report.GetProperty("dataset_drift").GetBoolean());
    }

    [Fact]
    public async Task Monitor_DatasetVersionAgainstTheLastServedRows()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        await using (var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                for (var i = 0; i < 120; i++)
                    (await http.PostAsync("/v1/models/spam/predict", new StringContent(FeatureJson.Of(ws.Rest, i, "type"), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
                // Refused: a text where a number belongs (twice), and a row without one of the features.
                var row = JsonDocument.Parse(FeatureJson.Of(ws.Rest, 0, "type")).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
                foreach (var body in new[] { row.ToDictionary(p => p.Key, p => p.Key == "charDollar" ? "lots" : p.Value), row.ToDictionary(p => p.Key, p => p.Key == "charDollar" ? "many" : p.Value),
                             row.Where(p => p.Key != "capitalTotal").ToDictionary() })
                    Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.PostAsync("/v1/models/spam/predict", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"))).StatusCode);
            }
        }
        var report = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--reference", "spam", "--current", "last:100");
        Assert.Equal(100, report.GetProperty("current_rows").GetInt32());
        Assert.StartsWith("spam@", report.GetProperty("reference").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("performance").ValueKind); // no feedback was sent

        var hour = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--current", "last:1h");
        Assert.Equal(120, hour.GetProperty("current_rows").GetInt32());
        var quality = hour.GetProperty("quality");
        Assert.Equal((123, 3), (quality.GetProperty("requests").GetInt32(), quality.GetProperty("rejected").GetInt32()));
        Assert.Equal(2, quality.GetProperty("rejected_by_field").GetProperty("charDollar").GetInt32());
        Assert.Equal(1, quality.GetProperty("rejected_by_field").GetProperty("capitalTotal").GetInt32());
        Assert.InRange(quality.GetProperty("latency_p50_ms").GetDouble(), 1e-6, quality.GetProperty("latency_p99_ms").GetDouble());

        // A past span of the log as the reference; the monitored columns limited in tend.yaml.
        ws.SetMonitor("monitor:\n  columns: [charDollar, capitalTotal]");
        var spans = await Cli.JsonAsync(ws.Dir, "monitor", "run", "--reference", "2000-01-01..", "--current", "last:50");
        Assert.StartsWith("predictions between", spans.GetProperty("reference").GetString());
        Assert.Equal((120, 50), (spans.GetProperty("reference_rows").GetInt32(), spans.GetProperty("current_rows").GetInt32()));
        Assert.Equal(["charDollar", "capitalTotal"], spans.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var badSpan = await Cli.RunAsync("monitor", "run", "--reference", "2026-13-45..", "--workspace", ws.Dir);
        Assert.Equal(2, badSpan.Exit);
        Assert.Contains("'2026-13-45' is not an ISO 8601 time", badSpan.Stderr);
        ws.SetMonitor("monitor:\n  columns: [charDollar, nosuch]");
        var unknown = await Cli.RunAsync("monitor", "run", "--workspace", ws.Dir);
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("monitor.columns names 'nosuch', not monitored features", unknown.Stderr);
    }

    [Theory]
    [InlineData("--current", "last:1x", "expected last:N")]
    [InlineData("--statistic", "kolmogorov", "unknown drift statistic 'kolmogorov'; known: ks, chi_square, z, psi, wasserstein, jensen_shannon, hellinger")]
    [InlineData("--reference", "nosuch.csv", "'nosuch.csv' is neither a file nor a dataset version")]
    [InlineData("--current", "../nosuch.csv", "'../nosuch.csv' is neither a file nor a dataset version")] // a path, not a span FROM..TO
    [InlineData("--current", "2026-11-01..soon", "'soon' is not an ISO 8601 time")]
    public async Task Monitor_BadSources_AreNamed(string option, string value, string message)
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var result = await Cli.RunAsync("monitor", "run", option, value, "--workspace", ws.Dir);
        Assert.NotEqual(0, result.Exit);
        Assert.NotEqual(1, result.Exit);
        Assert.Contains(message, result.Stderr);
    }
}

