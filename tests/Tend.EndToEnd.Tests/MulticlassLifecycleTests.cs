using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// The loop on penguins: three classes, categorical features and missing values, through the CLI and the server.
/// (The spam tests have only numeric features and no missing values.)
/// </summary>
public sealed class MulticlassLifecycleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-penguins-").FullName;

    [Fact]
    public async Task Penguins_TrainServeAndMonitor_WithCategoriesAndMissingValues()
    {
        await PenguinProject.WithChampionAsync(_dir, "multiclass", "species", "penguins", async train =>
        {
            Assert.InRange(train.GetProperty("metrics").GetProperty("micro_accuracy").GetDouble(), 0.9, 1.0);
            Assert.True(train.GetProperty("metrics").TryGetProperty("macro_accuracy", out _));
            Assert.True((await Cli.JsonAsync(_dir, "evaluate", train.GetProperty("run_id").GetString()!)).GetProperty("passed").GetBoolean());
        });

        await using (var ws = await Workspace.OpenAsync(_dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(ws, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                var predict = $"/v1/models/{ws.Spec.Name}/predict";
                // A Gentoo-like bird with its sex unknown, and one with every measurement missing.
                var body = """
                    [{"island": "Biscoe", "bill_length_mm": 47.5, "bill_depth_mm": 15.0, "flipper_length_mm": 218, "body_mass_g": 5200, "sex": null, "year": 2008},
                     {"island": "Torgersen", "bill_length_mm": null, "bill_depth_mm": null, "flipper_length_mm": null, "body_mass_g": null, "sex": null, "year": 2007}]
                    """;
                var response = await http.PostAsync(predict, new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions");
                Assert.Equal("Gentoo", answer[0].GetProperty("prediction").GetString());
                var probabilities = answer[0].GetProperty("probabilities");
                Assert.Equal(["Adelie", "Chinstrap", "Gentoo"], probabilities.EnumerateObject().Select(p => p.Name).Order());
                Assert.Equal(1.0, probabilities.EnumerateObject().Sum(p => p.Value.GetDouble()), 4);
                Assert.Equal(probabilities.GetProperty("Gentoo").GetDouble(), answer[0].GetProperty("score").GetDouble(), 12);

                // Traffic from one island only: the island's categories drift (chi-square), as do the birds' sizes.
                var penguins = CsvReader.ReadFile(PenguinProject.Csv);
                var biscoe = penguins.Select(Enumerable.Range(0, penguins.Rows.Count).Where(i => penguins.Rows[i][1] == "Biscoe"));
                for (var i = 0; i < biscoe.Rows.Count; i++)
                {
                    var row = FeatureJson.Of(biscoe, i, "species");
                    var served = JsonDocument.Parse(await (await http.PostAsync(predict, new StringContent(row, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
                    var id = served.GetProperty("predictions")[0].GetProperty("request_id").GetString();
                    (await http.PostAsJsonAsync("/v1/feedback", new { request_id = id, label = biscoe.Rows[i][0] })).EnsureSuccessStatusCode();
                }
            }
        }

        var report = await Cli.JsonAsync(_dir, "monitor", "run");
        var island = report.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "island");
        Assert.Equal("chi_square", island.GetProperty("statistic").GetString());
        Assert.True(island.GetProperty("drifted").GetBoolean(), island.ToString());
        var sex = report.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "sex");
        Assert.True(sex.GetProperty("details").GetProperty("missing_share").GetDouble() > 0);
        Assert.InRange(report.GetProperty("performance").GetProperty("value").GetDouble(), 0.9, 1.0);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
