using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Pipelines.Composition;
using Tend.Pipelines.Stages;
using Tend.Registry;
using Tend.Server;
using Tend.Testing;
using Xunit.Abstractions;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// Two serving replicas on one PostgreSQL store and one S3 bucket (s3rver), each with its own workspace as two
/// processes would have: a canary routes each routing key the same way on both, a promotion made through one is
/// served by the other within the alias refresh, both write one prediction log, and each counts its own requests in
/// its /metrics; behind HAProxy under wrk's load, a rollback of the champion fails not one request.
/// </summary>
[Collection(Scale.ClusterTests.Collection)] // not beside the cluster's processes: on 2 cores, together they starve each other for seconds
public sealed class ReplicasTests(ITestOutputHelper output)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [PostgresFact]
    public async Task TwoReplicas_OnOneStoreAndOneBucket_ServeAsOne()
    {
        await using var s3 = await S3Server.StartAsync();
        var root = Directory.CreateTempSubdirectory("tend-replicas-").FullName;
        var options = new TendOptions(await PostgresServer.FreshSchemaAsync(), s3.Uri($"replicas-{Guid.NewGuid():N}"), Path.Combine(root, "tmp"));
        var dir = Path.Combine(root, "spam");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, SpecLoader.FileName), SpecWriter.Render("spam", MlTask.Binary, "type", "spam", 0.9));
        var data = CsvReader.ReadFile(TestWorkspace.SpamCsv);

        await using var first = await Workspace.OpenAsync(dir, options, Ct);
        await using (var services = new ServiceCollection().AddTend(first).BuildServiceProvider())
        {
            await services.GetRequiredService<DatasetCatalog>().AddAsync("spam", data, "test data", first.Actor, Ct);
            var registry = services.GetRequiredService<ModelRegistry>();
            foreach (var version in new[] { 1, 2 }) // the same training twice: v1 champion, v2 evaluated against it
            {
                var registered = await registry.RegisterAsync(await TrainStage.RunAsync(first, null, Ct), first.Actor, Ct);
                Assert.Equal(version, registered.Version);
                await EvaluateStage.RunAsync(first, $"spam@{version}", null, Ct);
                if (version == 1)
                    await registry.PromoteAsync("spam", 1, ModelRegistry.Champion, "first", first.Actor, Ct);
            }
        }
        await using var second = await Workspace.OpenAsync(dir, options, Ct);
        var (a, urlA) = await TendServer.StartAsync(first, "127.0.0.1", 0, Ct);
        await using var _ = a;
        var (b, urlB) = await TendServer.StartAsync(second, "127.0.0.1", 0, Ct);
        await using var __ = b;
        using var httpA = await a.AdminAsync(urlA);
        using var httpB = await b.AdminAsync(urlB);

        async Task<JsonElement> PredictAsync(HttpClient http, int row, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/models/spam/predict") { Content = new StringContent(FeatureJson.Of(data, row, "type"), Encoding.UTF8, "application/json") };
            if (key is not null)
                request.Headers.Add("X-Tend-Routing-Key", key);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }

        // A canary set through one replica: each key takes the same route on both.
        (await httpA.PutAsJsonAsync("/api/v1/deployments/spam", new { canary = 2, percent = 50, reason = "half" })).EnsureSuccessStatusCode();
        await Task.Delay(ModelHostRefresh);
        var routes = new List<(string A, string B)>();
        for (var i = 0; i < 40; i++)
        {
            var key = $"customer-{i}";
            routes.Add(((await PredictAsync(httpA, i, key)).GetProperty("route").GetString()!, (await PredictAsync(httpB, i, key)).GetProperty("route").GetString()!));
        }
        Assert.All(routes, r => Assert.Equal(r.A, r.B));
        Assert.InRange(routes.Count(r => r.A == "canary"), 8, 32); // half of 40, ±4 standard deviations

        // A promotion through one replica, served by the other within the alias refresh (a second), plus loading v2.
        (await httpA.PostAsJsonAsync("/api/v1/deployments/spam/rollback", new { reason = "promote instead" })).EnsureSuccessStatusCode();
        (await httpA.PostAsJsonAsync("/api/v1/models/spam/promote", new { version = 2, reason = "same training" })).EnsureSuccessStatusCode();
        var promoted = Stopwatch.StartNew();
        var sentB = 40; // and each request while waiting for the promotion to show
        int served;
        do
        {
            Assert.True(promoted.Elapsed < TimeSpan.FromSeconds(10), "replica B did not serve the promotion");
            served = (await PredictAsync(httpB, 0)).GetProperty("version").GetInt32();
            sentB++;
        }
        while (served != 2);
        output.WriteLine($"replica B served v2 {promoted.ElapsedMilliseconds} ms after the promotion through replica A");
        Assert.True(promoted.Elapsed < TimeSpan.FromSeconds(3), $"{promoted.ElapsedMilliseconds} ms");

        // One log: every answered request of both replicas, whichever is asked.
        var sentA = 40;
        await Eventually.HoldsAsync(async () =>
        {
            var status = JsonDocument.Parse(await httpA.GetStringAsync("/api/v1/deployments/spam")).RootElement;
            var rows = status.GetProperty("routes").EnumerateArray().Sum(r => r.GetProperty("rows").GetInt64());
            var countedB = Counted(await httpB.GetStringAsync("/metrics"));
            return rows == sentA + sentB && countedB == sentB;
        });
        Assert.Equal(sentA, Counted(await httpA.GetStringAsync("/metrics"))); // each replica counts only its own
        Assert.Equal(sentB, Counted(await httpB.GetStringAsync("/metrics")));

        // Through HAProxy (deploy/haproxy.cfg) under wrk's load, the champion rolled back mid-way: not one request fails,
        // and the log holds every answered one.
        var logged = await LoggedAsync(httpA);
        var port = HookListener.FreePort();
        await using var haproxy = await HaproxyAsync(port, new Uri(urlA).Authority, new Uri(urlB).Authority);
        var wrk = await WrkAsync(root, FeatureJson.Of(data, 0, "type"), httpA.DefaultRequestHeaders.Authorization!.ToString(), $"http://127.0.0.1:{port}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await httpA.PostAsJsonAsync("/api/v1/models/spam/rollback", new { reason = "under load" })).EnsureSuccessStatusCode();
        var said = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        output.WriteLine(said);
        Assert.DoesNotContain("Non-2xx", said);
        Assert.DoesNotContain("Socket errors", said);
        var answered = long.Parse(System.Text.RegularExpressions.Regex.Match(said, @"(\d+) requests in").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(answered > 100, said);
        // wrk counts the answers it read; the requests in flight on its 8 connections when it stopped were answered and logged too.
        await Eventually.HoldsAsync(async () => await LoggedAsync(httpA) - logged >= answered);
        Assert.InRange(await LoggedAsync(httpA) - logged, answered, answered + Connections);
        Assert.Equal(1, (await PredictAsync(httpB, 0)).GetProperty("version").GetInt32()); // both replicas serve the champion rolled back to
    }

    internal const int Connections = 8;

    /// <summary>wrk posting <paramref name="body"/> to the spam model's predict endpoint at <paramref name="url"/> for 6 s on <see cref="Connections"/> connections; its report is its standard output.</summary>
    internal static async Task<Process> WrkAsync(string root, string body, string authorization, string url)
    {
        var script = Path.Combine(root, "predict.lua");
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.body = [[{{body}}]]
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "{{authorization}}"
            """);
        return Process.Start(new ProcessStartInfo("wrk", ["-t2", $"-c{Connections}", "-d6s", "--timeout", "10s", "-s", script, $"{url}/v1/models/spam/predict"]) { RedirectStandardOutput = true })!;
    }

    /// <summary>The answered rows in the log, over both replicas, as either reports them.</summary>
    internal static async Task<long> LoggedAsync(HttpClient http, string url = "") =>
        JsonDocument.Parse(await http.GetStringAsync($"{url}/api/v1/deployments/spam")).RootElement.GetProperty("routes").EnumerateArray().Sum(r => r.GetProperty("rows").GetInt64());

    /// <summary>Debian's HAProxy with deploy/haproxy.cfg in front of the two replicas, once both are ready to it.</summary>
    internal static async Task<IAsyncDisposable> HaproxyAsync(int port, string first, string second)
    {
        var start = new ProcessStartInfo("haproxy", ["-db", "-f", Path.Combine(TendProcess.Repository, "deploy", "haproxy.cfg")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        (start.Environment["TEND_LISTEN"], start.Environment["TEND_REPLICA_1"], start.Environment["TEND_REPLICA_2"]) = ($"127.0.0.1:{port}", first, second);
        var process = Process.Start(start)!;
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.HoldsAsync(async () =>
        {
            if (process.HasExited)
                Assert.Fail($"haproxy exited: {await process.StandardError.ReadToEndAsync()}");
            try
            {
                return (await probe.GetAsync("/healthz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        });
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // both servers marked up by their first checks
        return new StoppedOnDispose(process);
    }

    /// <summary>A process stopped when disposed.</summary>
    private sealed class StoppedOnDispose(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    /// <summary>The alias and deployment lookups of a replica are at most this stale (ModelHost.AliasRefresh, and a margin).</summary>
    private static readonly TimeSpan ModelHostRefresh = Tend.Serving.ModelHost.AliasRefresh + TimeSpan.FromMilliseconds(200);

    /// <summary>The rows a replica's /metrics counts as predicted, over every version and route.</summary>
    internal static long Counted(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("tend_predictions_total{", StringComparison.Ordinal)).Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
