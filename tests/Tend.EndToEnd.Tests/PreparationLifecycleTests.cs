using System.Net;
using System.Text;
using System.Text.Json;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>tend.yaml's prepare: and split: sections through the CLI: the run records what they did, and the served model applies the fitted steps.</summary>
public sealed class PreparationLifecycleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-prepare-").FullName;
    private static readonly string Csv = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    private const string Sections = """

        prepare:
          drop_duplicates: true
          impute:
            Income: median
            Home: {strategy: constant, value: other}
          clip:
            Debt: {lower: 0.01, upper: 0.99}
          normalize:
            Amount: z_score
          encode:
            max_categories: 4
        split:
          test_fraction: 0.25
          seed: 7
        """;

    [Fact]
    public async Task PrepareAndSplit_AreAppliedRecordedAndServed()
    {
        var init = await Cli.RunAsync("init", _dir, "--task", "binary", "--label", "Status", "--data", Csv, "--name", "credit");
        Assert.True(init.Exit == 0, init.ToString());
        var yaml = Path.Combine(_dir, "tend.yaml");
        var lines = File.ReadAllLines(yaml).Where(l => !l.StartsWith("split:") && !l.StartsWith("  test_fraction:") && !l.StartsWith("  seed:"));
        File.WriteAllText(yaml, string.Join('\n', lines) + Sections);
        // The data (2 duplicate rows: pandas' DataFrame.duplicated().sum()) plus 25 copies of its first row: drop_duplicates removes 27 before the split.
        var copies = Path.Combine(_dir, "with-copies.csv");
        var csv = File.ReadAllLines(Csv);
        File.WriteAllLines(copies, csv.Concat(Enumerable.Repeat(csv[1], 25)));
        await Cli.JsonAsync(_dir, "data", "add", copies);

        var train = await Cli.JsonAsync(_dir, "train");
        var parameters = train.GetProperty("params");
        Assert.Equal("27", parameters.GetProperty("prepare.removed.duplicates").GetString());
        Assert.Equal("stratified", parameters.GetProperty("split.method").GetString());
        Assert.Equal(csv.Length - 1 - 2, int.Parse(parameters.GetProperty("train_rows").GetString()!) + int.Parse(parameters.GetProperty("test_rows").GetString()!));
        Assert.InRange(train.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.75, 1.0);
        // The same data and spec give the same split and the same metrics.
        var again = await Cli.JsonAsync(_dir, "train");
        Assert.Equal(parameters.GetProperty("split.test_digest").GetString(), again.GetProperty("params").GetProperty("split.test_digest").GetString());
        Assert.Equal(train.GetProperty("metrics").ToString(), again.GetProperty("metrics").ToString());

        await Cli.JsonAsync(_dir, "models", "register", train.GetProperty("run_id").GetString()!);
        await Cli.JsonAsync(_dir, "evaluate", "credit@1");
        await Cli.JsonAsync(_dir, "models", "promote", "credit", "1", "--reason", "first");
        await using var ws = await Workspace.OpenAsync(_dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(ws, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            // Income and Home missing: filled with the training median and the constant 'other'.
            var body = """{"Seniority": 9, "Home": null, "Time": 60, "Age": 30, "Marital": "married", "Records": "no", "Job": "freelance", "Expenses": 73, "Income": null, "Assets": 0, "Debt": 0, "Amount": 800, "Price": 846}""";
            var response = await http.PostAsync("/v1/models/credit/predict", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var score = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("score").GetDouble();
            Assert.InRange(score, 0, 1);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
