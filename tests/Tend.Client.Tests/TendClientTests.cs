using System.Net;
using System.Text.Json;
using Tend.Testing;

namespace Tend.Client.Tests;

/// <summary>The SDK against a real server process: batching, retries without loss or duplicates, artifacts, ending.</summary>
public sealed class TendClientTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly TendClientOptions Fast = new() { FlushInterval = TimeSpan.FromMilliseconds(50), RetryDelay = TimeSpan.FromMilliseconds(10), BatchSize = 5_000 };

    private async Task<JsonElement> GetAsync(string path)
    {
        using var http = TendProcess.Client(_server.Url.ToString());
        var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Run_LogsParamsMetricsTagsAndArtifacts_AndEnds()
    {
        using var tend = new TendClient(_server.Url, TendProcess.AdminToken, Fast);
        await using var run = await tend.StartRunAsync("spam", name: "my training loop", tags: new Dictionary<string, string> { ["team"] = "fraud" });
        run.LogParam("learning_rate", 0.1);
        run.LogParam("epochs", 30);
        for (var step = 0; step < 30_000; step++)
        {
            run.LogMetric("loss", 1.0 / (step + 1), step);
            if (step % 1000 == 0)
                run.LogMetrics(new Dictionary<string, double> { ["val_auc"] = 0.5 + step / 100_000.0, ["val_loss"] = 1.0 / (step + 2) }, step);
        }
        run.SetTag("stage", "tuned");
        var folder = Directory.CreateTempSubdirectory("tend-artifacts-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "plots"));
        await File.WriteAllTextAsync(Path.Combine(folder, "plots", "roc.csv"), "fpr,tpr\n0,0\n1,1\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "report.txt"), "fine");
        await run.LogArtifactAsync(folder, "outputs");
        await run.LogArtifactAsync(Path.Combine(folder, "report.txt"));
        await run.EndAsync();

        var stored = await tend.GetRunAsync(run.Id);
        Assert.Equal("finished", stored.Status);
        Assert.Equal(("0.1", "30"), (stored.Params["learning_rate"], stored.Params["epochs"]));
        Assert.Equal(1.0 / 30_000, stored.Metrics["loss"], 15);
        Assert.Equal(0.5 + 29_000 / 100_000.0, stored.Metrics["val_auc"], 15);
        Assert.Equal(1.0 / 29_002, stored.Metrics["val_loss"], 15);
        Assert.Equal(("fraud", "tuned"), (stored.Tags["team"], stored.Tags["stage"]));
        Assert.Equal(["outputs/plots/roc.csv", "outputs/report.txt", "report.txt"], stored.Artifacts.Keys.Order());
        Assert.Equal(stored.Artifacts["outputs/report.txt"], stored.Artifacts["report.txt"]); // the same bytes: one file
        Assert.True(stored.Environment.ContainsKey("dotnet"));

        var history = await GetAsync($"api/v1/runs/{run.Id}/metrics/loss?max_points=300");
        Assert.Equal(30_000, history.GetProperty("count").GetInt64());
        Assert.True(history.GetProperty("downsampled").GetBoolean());
        Assert.Equal(300, history.GetProperty("points").GetArrayLength());
        using var http = TendProcess.Client(_server.Url.ToString());
        Assert.Equal("fpr,tpr\n0,0\n1,1\n", await http.GetStringAsync($"api/v1/runs/{run.Id}/artifacts/outputs/plots/roc.csv"));
        var listed = await GetAsync("api/v1/runs?where=" + Uri.EscapeDataString("tags.team = 'fraud' and metrics.val_auc > 0.7"));
        Assert.Equal(run.Id, listed.GetProperty("runs")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task TransientFailures_AreRetried_NothingIsLostOrLoggedTwice()
    {
        // The first two log requests fail with 503 before reaching the server; the next one reaches it but its answer is lost.
        var flaky = new FlakyHandler(failBefore: 2, loseAnswerOf: 3);
        using var tend = new TendClient(TendProcess.Client(_server.Url.ToString(), handler: flaky), Fast);
        var run = await tend.StartRunAsync("spam");
        for (var step = 0; step < 12_000; step++)
            run.LogMetric("loss", step, step);
        await run.FlushAsync(); // three batches of at most 5,000: all of them have arrived when it returns
        Assert.Equal(12_000, (await GetAsync($"api/v1/runs/{run.Id}/metrics/loss?max_points=2")).GetProperty("count").GetInt64());
        await run.EndAsync();
        Assert.True(flaky.LogRequests >= 5);
        var history = await GetAsync($"api/v1/runs/{run.Id}/metrics/loss?max_points=100000");
        Assert.Equal(12_000, history.GetProperty("count").GetInt64());
        Assert.Equal(Enumerable.Range(0, 12_000).Select(i => (double)i), history.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task Refusals_AreReported_AndARunDisposedWithoutEnding_IsKilled()
    {
        using var tend = new TendClient(_server.Url, TendProcess.AdminToken, Fast);
        string id;
        await using (var run = await tend.StartRunAsync("spam"))
        {
            id = run.Id;
            run.LogParam("seed", 1);
            await run.FlushAsync();
            run.LogParam("seed", 2);
            var refused = await Assert.ThrowsAsync<TendClientException>(() => run.FlushAsync());
            Assert.Equal(HttpStatusCode.Conflict, refused.Status);
            Assert.Contains("param 'seed'", refused.Message);
        }
        var stored = await tend.GetRunAsync(id);
        Assert.Equal("killed", stored.Status);
        Assert.Equal("1", stored.Params["seed"]);

        var bad = await Assert.ThrowsAsync<TendClientException>(() => tend.StartRunAsync("not a name"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task AServerThatIsDown_NeverBlocksLogging_AndTheFailureIsReportedOnFlush()
    {
        using var tend = new TendClient(_server.Url, TendProcess.AdminToken, Fast with { RetryFor = TimeSpan.FromSeconds(2) });
        var run = await tend.StartRunAsync("spam");
        await _server.DisposeAsync();
        for (var step = 0; step < 100_000; step++)
            run.LogMetric("loss", step, step); // returns at once: the values wait in the buffer
        _server = await ServerProcess.StartAsync(); // a fresh workspace for DisposeAsync; the run is gone with the old one
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => run.FlushAsync());
        Assert.IsType<TendClientException>(failure);
    }

    private sealed class FlakyHandler(int failBefore, int loseAnswerOf) : DelegatingHandler(new HttpClientHandler())
    {
        public int LogRequests;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (!request.RequestUri!.AbsolutePath.EndsWith("/log", StringComparison.Ordinal))
                return await base.SendAsync(request, ct);
            var n = Interlocked.Increment(ref LogRequests);
            if (n <= failBefore)
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{\"detail\":\"busy\"}") };
            var response = await base.SendAsync(request, ct);
            if (n == loseAnswerOf)
                throw new HttpRequestException("connection reset after the server answered");
            return response;
        }
    }
}
