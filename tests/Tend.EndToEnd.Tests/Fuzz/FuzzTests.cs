using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tend.Testing;
using Xunit.Abstractions;

namespace Tend.EndToEnd.Tests.Fuzz;

/// <summary>
/// A real <c>tend serve</c> process with a champion, sent thousands of malformed and adversarial requests across every
/// operation (<see cref="Fuzzer"/>): none may be answered with a 5xx or refused after more than 5 s, the server must be healthy and
/// answer a valid prediction afterwards. The server's resident memory is written to the output, after a warm-up and after
/// each fifth of the bad requests: bench/fuzz_memory.sh runs it longer and reads that line (bench/README.md).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 2112;
    private const int ValidWarmUp = 600;
    private const int BadWarmUp = 2_000;
    /// <summary>Bad requests after the warm-up: 10,000, or TEND_FUZZ_REQUESTS (bench/fuzz_memory.sh sends more).</summary>
    private static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("TEND_FUZZ_REQUESTS"), out var n) ? n : 10_000;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task MalformedRequestsOnEveryOperation_NeverA5xxOrAHang_AndTheServerStaysHealthyAndBounded()
    {
        using var ws = new TestWorkspace();
        var runId = await ws.WithChampionAsync();
        var (server, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", ws.Dir);
        await using (server)
        {
            using var http = TendProcess.Client(serving.GetProperty("url").GetString()!);
            http.Timeout = TimeSpan.FromMinutes(1);
            var dataset = JsonDocument.Parse(await http.GetStringAsync("/api/v1/datasets")).RootElement[0];
            var datasetRef = $"{dataset.GetProperty("name").GetString()}@{dataset.GetProperty("version").GetString()![..12]}";
            var requestId = await PredictAsync(http, ws);
            var fuzzer = new Fuzzer(JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement, Seeds(ws, requestId), new Dictionary<string, string>
            {
                ["name"] = "spam", ["model"] = "spam", ["project"] = "spam", ["reference"] = "spam@1", ["target"] = "spam@1", ["version"] = "1",
                ["id"] = runId, ["run_id"] = runId, ["ids"] = runId, ["dataset"] = datasetRef, ["other"] = datasetRef, ["data"] = datasetRef,
                ["path"] = "notes/fuzz.txt", ["key"] = "auc", ["alias"] = "champion", ["status"] = "pending", ["format"] = "markdown",
                ["where"] = "metrics.auc > 0.5", ["order_by"] = "metrics.auc desc", ["reason"] = "fuzz", ["explain"] = "true",
            }, Seed);
            Assert.True(fuzzer.Operations.Count(o => o.Method != "GET") >= 20, $"only {fuzzer.Operations.Count} operations in /openapi/v1.json");

            // Warm-up: every operation valid, then rounds of the bad mix, so its costly kinds have set the high-water mark (a
            // 10,000-column upload takes ~300 MB while ingested, and the GC keeps what it grew to): a leak grows past it, a peak does not.
            var failures = new ConcurrentBag<string>();
            await SendAsync(http, Enumerable.Range(0, ValidWarmUp).Select(i => fuzzer.Valid(fuzzer.Operations[i % fuzzer.Operations.Count])), failures);
            var valid = Memory(server.Id);
            await SendAsync(http, Bad(fuzzer, BadWarmUp), failures);
            var warm = Memory(server.Id);
            var trend = new List<long>();
            for (var i = 0; i < Requests; i += Requests / 5)
            {
                await SendAsync(http, Bad(fuzzer, Requests / 5), failures);
                trend.Add(Memory(server.Id) >> 20);
            }
            var after = Memory(server.Id);
            output.WriteLine($"seed {Seed}: {BadWarmUp + Requests} bad requests over {fuzzer.Operations.Count} operations; resident memory after {ValidWarmUp} valid ones " +
                $"{valid >> 20} MB, after {BadWarmUp} bad ones more (the warm-up) {warm >> 20} MB, after each fifth of {Requests} bad ones more {string.Join(", ", trend)} MB");

            Assert.True(failures.IsEmpty, $"{failures.Count} requests failed (seed {Seed}):\n{string.Join("\n", failures.Take(40))}");
            Assert.True(after <= warm * 3 / 2, $"resident memory grew from {warm >> 20} MB after the warm-up to {after >> 20} MB after {Requests} bad requests more, over 1.5x");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            await PredictAsync(http, ws);
        }
    }

    private static IEnumerable<FuzzRequest> Bad(Fuzzer fuzzer, int count) => Enumerable.Range(0, count).Select(i => fuzzer.Next(fuzzer.Operations[i % fuzzer.Operations.Count]));

    /// <summary>Sends the requests, two at a time; a 5xx is a failure, and so is a refusal slower than <see cref="Hang"/> (a request that succeeds may take longer: an evaluation).</summary>
    private static async Task SendAsync(HttpClient http, IEnumerable<FuzzRequest> requests, ConcurrentBag<string> failures)
    {
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (request, ct) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                using var response = await http.SendAsync(request.Message(), ct);
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)} for {request}");
                else if (clock.Elapsed > Hang && !response.IsSuccessStatusCode) // one that turned out valid (a null optional field) may do its work
                    failures.Add($"answered in {clock.Elapsed.TotalSeconds:F1} s (over {Hang.TotalSeconds} s) for {request}");
            }
            catch (TaskCanceledException)
            {
                failures.Add($"no answer in {http.Timeout.TotalSeconds} s for {request}");
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{e.Message} for {request}");
            }
        });
    }

    /// <summary>A valid prediction's request id (the server must answer one).</summary>
    private static async Task<string> PredictAsync(HttpClient http, TestWorkspace ws)
    {
        var response = await http.PostAsync("/v1/models/spam/predict", new StringContent(FeatureJson.Of(ws.Rest, 0, "type"), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("request_id").GetString()!;
    }

    /// <summary>A valid body for each operation whose schema does not say enough: the prediction protocols', feedback, and an upload.</summary>
    private static Dictionary<string, string> Seeds(TestWorkspace ws, string requestId)
    {
        var features = ws.Rest.Columns.Where(c => c != "type").ToList();
        var at = features.Select(f => ws.Rest.Columns.ToList().IndexOf(f)).ToList();
        var rows = Enumerable.Range(0, 2).Select(r => at.Select(k => ws.Rest.Rows[r][k]).ToList()).ToList();
        var numbers = rows.Select(r => "[" + string.Join(',', r.Select(v => v ?? "null")) + "]");
        var tensor = $"{{\"inputs\":[{{\"name\":\"input\",\"shape\":[2,{features.Count}],\"datatype\":\"FP64\",\"data\":[{string.Join(',', rows.SelectMany(r => r).Select(v => v ?? "0"))}]}}]}}";
        var csv = Encoding.UTF8.GetString(Data.Tabular.CsvWriter.ToBytes(ws.History.Select([.. Enumerable.Range(0, 40)])));
        return new()
        {
            ["/v1/models/{name}/predict"] = "[" + FeatureJson.Of(ws.Rest, 0, "type") + "," + FeatureJson.Of(ws.Rest, 1, "type") + "]",
            ["/v1/feedback"] = JsonSerializer.Serialize(new { request_id = requestId, label = "spam" }),
            ["/invocations"] = $"{{\"dataframe_split\":{{\"columns\":{JsonSerializer.Serialize(features)},\"data\":[{string.Join(',', numbers)}]}}}}",
            ["/v2/models/{name}/infer"] = tensor,
            ["/v2/models/{name}/versions/{version}/infer"] = tensor,
            ["/api/v1/datasets/{name}"] = csv,
            ["/api/v1/datasets/{name}/validate"] = csv,
        };
    }

    /// <summary>A process's resident memory, from /proc.</summary>
    private static long Memory(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) << 10;
    }
}
