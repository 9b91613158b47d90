using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

public class FairnessMonitoringTests
{
    private static readonly string CreditCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    /// <summary>
    /// A credit model with Marital protected serves 400 applications, and half get their true status back: the report
    /// gives each marital group's selection rate, the parity gaps over groups of 30+ rows, and the TPR/FPR gaps on the
    /// labelled rows.
    /// </summary>
    [Fact]
    public async Task Monitor_ServedTraffic_FairnessByMaritalStatus()
    {
        using var ws = new TestWorkspace();
        Assert.Equal(0, (await Cli.RunAsync("init", ws.Dir, "--task", "binary", "--label", "Status", "--data", CreditCsv, "--name", "credit")).Exit);
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\nprotected_attributes: [Marital]\n");
        await Cli.JsonAsync(ws.Dir, "data", "add", CreditCsv);
        var run = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(ws.Dir, "models", "register", run);
        await Cli.JsonAsync(ws.Dir, "evaluate", "credit@1");
        await Cli.JsonAsync(ws.Dir, "models", "promote", "credit", "1", "--reason", "first", "--force");

        var credit = CsvReader.ReadFile(CreditCsv);
        var status = credit.IndexOf("Status");
        await using (var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                for (var i = 0; i < 400; i++)
                {
                    var response = await http.PostAsync("/v1/models/credit/predict", new StringContent(FeatureJson.Of(credit, i, "Status"), Encoding.UTF8, "application/json"));
                    response.EnsureSuccessStatusCode();
                    if (i % 2 == 0)
                    {
                        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("request_id").GetString();
                        (await http.PostAsJsonAsync("/v1/feedback", new { request_id = id, label = credit.Rows[i][status] })).EnsureSuccessStatusCode();
                    }
                }
            }
        }

        var report = await Cli.JsonAsync(ws.Dir, "monitor", "run");
        var marital = Assert.Single(report.GetProperty("fairness").EnumerateArray());
        Assert.Equal("Marital", marital.GetProperty("attribute").GetString());
        var groups = marital.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(400, groups.Sum(g => g.GetProperty("rows").GetInt32()));
        Assert.Equal(200, marital.GetProperty("labelled_rows").GetInt32());
        var rates = groups.Where(g => g.GetProperty("rows").GetInt32() >= 30).Select(g => g.GetProperty("selection_rate").GetDouble()).ToList();
        Assert.True(rates.Count >= 2, marital.ToString());
        Assert.Equal(rates.Max() - rates.Min(), marital.GetProperty("demographic_parity_difference").GetDouble(), 12);
        Assert.Equal(rates.Min() / rates.Max(), marital.GetProperty("demographic_parity_ratio").GetDouble(), 12);
        var tprs = groups.Where(g => g.GetProperty("labelled_rows").GetInt32() >= 30 && g.GetProperty("true_positive_rate").ValueKind == JsonValueKind.Number)
            .Select(g => g.GetProperty("true_positive_rate").GetDouble()).ToList();
        Assert.True(tprs.Count >= 2, marital.ToString());
        Assert.Equal(tprs.Max() - tprs.Min(), marital.GetProperty("equal_opportunity_difference").GetDouble(), 12);
        Assert.True(marital.GetProperty("equalized_odds_difference").GetDouble() >= marital.GetProperty("equal_opportunity_difference").GetDouble());
    }
}
