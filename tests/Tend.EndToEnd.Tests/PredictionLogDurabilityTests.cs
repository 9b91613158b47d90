using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tend.Pipelines;
using Tend.Pipelines.Composition;
using Tend.Pipelines.Services;
using Tend.Serving;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// The prediction log of a real `tend serve` process: a SIGKILL loses nothing answered over a second before (the
/// documented bound; the log writes every <see cref="PredictionLog.FlushEvery"/>), and a SIGTERM loses nothing.
/// </summary>
public class PredictionLogDurabilityTests
{
    private static async Task<List<string>> PredictAsync(string url, TestWorkspace ws, int rows)
    {
        using var http = TendProcess.Client(url);
        var ids = new List<string>();
        for (var i = 0; i < rows; i++)
        {
            var response = await http.PostAsync("/v1/models/spam/predict", new StringContent(FeatureJson.Of(ws.Rest, i % ws.Rest.Rows.Count, "type"), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            ids.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("request_id").GetString()!);
        }
        return ids;
    }

    private static async Task<HashSet<string>> StoredAsync(TestWorkspace ws)
    {
        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None);
        await using var services = new ServiceCollection().AddTend(workspace).BuildServiceProvider();
        return (await services.GetRequiredService<MonitoringService>().PredictionsAsync("spam", null, null, CancellationToken.None)).Select(p => p.RequestId).ToHashSet();
    }

    [Fact]
    public async Task Kill9_LosesNothingAnsweredMoreThanASecondBefore_AndSigtermLosesNothing()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();

        var (killed, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        List<string> before;
        await using (killed)
        {
            before = await PredictAsync(serving.GetProperty("url").GetString()!, ws, 300);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await killed.KillAsync();
        }
        var stored = await StoredAsync(ws);
        Assert.All(before, id => Assert.Contains(id, stored));

        var (stopped, again) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        await using (stopped)
        {
            var last = await PredictAsync(again.GetProperty("url").GetString()!, ws, 200);
            Assert.Equal(0, await stopped.TerminateAsync()); // at once: the log is flushed on the way out
            stored = await StoredAsync(ws);
            Assert.All(last, id => Assert.Contains(id, stored));
        }
        Assert.Equal(500, stored.Count);
    }

    /// <summary>serving.log_durability: sync answers once the record is committed: a SIGKILL right after the last answer loses nothing (issue 21, item 7).</summary>
    [Fact]
    public async Task Sync_Kill9RightAfterTheLastAnswer_LosesNothing()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\nserving:\n  log_durability: sync\n");

        var (killed, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        List<string> answered;
        await using (killed)
        {
            answered = await PredictAsync(serving.GetProperty("url").GetString()!, ws, 300);
            await killed.KillAsync();
        }

        var stored = await StoredAsync(ws);
        Assert.All(answered, id => Assert.Contains(id, stored));
    }
}
