using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>Back to data collection: served predictions whose feedback came back become a dataset version the pipeline retrains on, each row once.</summary>
public class CollectTests
{
    [Fact]
    public async Task Collect_ServedRowsWithFeedback_AppendedOnce_ThenThePipelineCollectsTheLateOnesAndRetrains()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        Assert.Equal(5, (await Cli.RunAsync("data", "collect", "--workspace", ws.Dir)).Exit); // nothing served yet

        var type = ws.Rest.IndexOf("type");
        var sentLabels = new List<string>();
        var late = new List<(string Id, string Label)>(); // served rows whose label comes after the first collection
        await using (var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                for (var i = 0; i < 40; i++)
                {
                    var response = await http.PostAsync("/v1/models/spam/predict", new StringContent(FeatureJson.Of(ws.Rest, i, "type"), Encoding.UTF8, "application/json"));
                    response.EnsureSuccessStatusCode();
                    var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("request_id").GetString()!;
                    if (i % 4 == 3)
                    {
                        late.Add((id, ws.Rest.Rows[i][type]!)); // a quarter get their ground truth only later
                        continue;
                    }
                    (await http.PostAsJsonAsync("/v1/feedback", new { request_id = id, label = ws.Rest.Rows[i][type] })).EnsureSuccessStatusCode();
                    sentLabels.Add(ws.Rest.Rows[i][type]!);
                }
            }
        }

        var history = await Cli.JsonAsync(ws.Dir, "data", "show", "spam");
        var collected = await Cli.JsonAsync(ws.Dir, "data", "collect", "--append");

        Assert.Equal((30, 10), (collected.GetProperty("labelled_rows").GetInt32(), collected.GetProperty("unlabelled_rows").GetInt32()));
        Assert.Equal(ws.History.Rows.Count + 30, collected.GetProperty("rows").GetInt32());
        Assert.Equal(30, collected.GetProperty("added_rows").GetInt32());
        Assert.Equal(history.GetProperty("version").GetString(), collected.GetProperty("parent").GetString());
        Assert.Matches(@"^spam@[0-9a-f]{12} \+ feedback on the predictions of spam received until \S+: 30 labelled rows; 10 served rows still without feedback$", collected.GetProperty("source").GetString());
        // The label is the feedback: the collected version's spam count is the history's plus the spam labels sent back.
        var spam = SpamCount(await Cli.JsonAsync(ws.Dir, "data", "show", "spam"));
        Assert.Equal(SpamCount(history) + sentLabels.Count(l => l == "spam"), spam);

        // Collecting again takes only what came since: nothing yet, then the late labels, each row once.
        var again = await Cli.RunAsync("data", "collect", "--append", "--workspace", ws.Dir);
        Assert.Equal(5, again.Exit);
        Assert.Contains("no feedback on the predictions of model 'spam' was received since ", again.Stderr);
        var labels = Path.Combine(ws.Dir, "late.csv");
        File.WriteAllLines(labels, ["request_id,label", .. late.Select(l => $"{l.Id},{l.Label}")]);
        await Cli.JsonAsync(ws.Dir, "feedback", labels);

        // The pipeline collects them itself from a feedback source in tend.yaml, and retrains on the version it made.
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\ndata:\n  sources:\n    - {name: served, feedback: true, append: true}\n");
        var pipeline = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "--source", "served", "--trigger", "new_data");
        Assert.True(pipeline.GetProperty("succeeded").GetBoolean(), pipeline.ToString());
        var retrainedOn = await Cli.JsonAsync(ws.Dir, "data", "show", pipeline.GetProperty("outputs").GetProperty("dataset").GetString()!);
        Assert.Equal(ws.History.Rows.Count + 40, retrainedOn.GetProperty("rows").GetInt32());
        Assert.Equal(collected.GetProperty("version").GetString(), retrainedOn.GetProperty("parent").GetString());
        Assert.EndsWith(": 10 labelled rows; 0 served rows still without feedback", retrainedOn.GetProperty("source").GetString());
        Assert.Contains("is the feedback on served predictions", (await Cli.RunAsync("data", "add", "--source", "served", "--workspace", ws.Dir)).Stderr);
    }

    private static int SpamCount(JsonElement dataset) =>
        dataset.GetProperty("profile").GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "type")
            .GetProperty("top_values").EnumerateArray().Single(v => v.GetProperty("value").GetString() == "spam").GetProperty("count").GetInt32();
}
