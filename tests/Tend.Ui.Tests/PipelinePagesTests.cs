using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Tend.Testing;

namespace Tend.Ui.Tests;

/// <summary>
/// The pipelines pages in Chromium: the declared pipelines with their triggers and last runs; a run's DAG, each step
/// coloured by its state (ran, cached, failed, skipped, running, waiting) with its duration, and each step's log.
/// </summary>
public class PipelinePagesTests
{
    private static readonly string Credit = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    private const string Pipelines = """

        pipelines:
          - name: features
            triggers:
              - schedule: "0 3 * * *"
                timezone: Europe/Berlin
              - webhook: true
            limit:
              runs: 4
              per: 1d
            steps:
              - name: left
                command: echo left side > left.txt
                outputs: [left.txt]
              - name: right
                command: echo right side > right.txt
                outputs: [right.txt]
              - name: join
                needs: [left, right]
                command: cat left.txt right.txt | tee joined.txt
                inputs: [left.txt, right.txt]
                outputs: [joined.txt]
          - name: broken
            steps:
              - name: fail
                command: echo about to fail && exit 3
              - name: after
                needs: [fail]
                command: echo never
          - name: slow
            steps:
              - name: quick
                command: echo quick
                cache: false
              - name: wait
                needs: [quick]
                command: while [ ! -f release ]; do sleep 0.05; done
                cache: false
              - name: last
                needs: [wait]
                command: echo last
                cache: false
        """;

    [Fact]
    public async Task ThePipelinesPage_ListsPipelinesAndRuns_AndARunPageDrawsItsDagWithLogs()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("tend-ui-pipelines-").FullName, "credit");
        await TendProcess.RunAsync("init", dir, "--task", "binary", "--label", "Status", "--data", Credit, "--name", "credit");
        File.AppendAllText(Path.Combine(dir, "tend.yaml"), Pipelines);
        await TendProcess.RunAsync("pipeline", "run", "features", "--workspace", dir);
        var cached = JsonDocument.Parse(await TendProcess.RunAsync("pipeline", "run", "features", "--workspace", dir, "--json")).RootElement.GetProperty("id").GetString()!;
        using (var broken = Process.Start(TendProcess.Command("pipeline", "run", "broken", "--workspace", dir))!)
            await broken.WaitForExitAsync();
        using var slow = Process.Start(TendProcess.Command("pipeline", "run", "slow", "--workspace", dir, "--json"))!;
        var slowSaid = Task.WhenAll(slow.StandardOutput.ReadToEndAsync(), slow.StandardError.ReadToEndAsync());

        var (tend, serving) = await TendProcess.StartAsync("serve", "--port", "0", "--workspace", dir);
        await using (tend)
        {
            Assert.True(serving.TryGetProperty("url", out var address), $"tend serve said: {serving}");
            var url = address.GetString()!;
            using var http = TendProcess.Client(url);
            string slowId = "";
            for (var waited = Stopwatch.StartNew(); slowId.Length == 0; await Task.Delay(50))
            {
                var text = await http.GetStringAsync("/api/v1/projects/credit/pipelines/runs");
                var runs = JsonDocument.Parse(text).RootElement.EnumerateArray();
                slowId = runs.FirstOrDefault(r => r.GetProperty("pipeline").GetString() == "slow" && r.GetProperty("steps").GetArrayLength() == 1) is { ValueKind: JsonValueKind.Object } r
                    ? r.GetProperty("id").GetString()! : "";
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1) && !slow.HasExited,
                    $"the slow pipeline did not reach its waiting step: {text}\n{(slow.HasExited ? string.Join("\n", await slowSaid) : "")}");
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Browser.LaunchAsync(playwright);
            var page = await Browser.SignedInAsync(browser, url);
            await page.GotoAsync(url + "/pipelines");
            var features = await page.Locator("[data-testid=declared] tr[data-pipeline=features]").InnerTextAsync();
            Assert.Contains("left · right · join", features);
            Assert.Contains("schedule 0 3 * * * (Europe/Berlin); webhook; at most 4 runs per 1d", features);
            Assert.Contains("succeeded", features);
            Assert.Contains("by hand", await page.Locator("[data-testid=declared] tr[data-pipeline=broken]").InnerTextAsync());
            Assert.Equal(["running", "failed", "succeeded", "succeeded"], await page.Locator("[data-testid=pipelines] tr").EvaluateAllAsync<string[]>("rows => rows.slice(1).map(r => r.dataset.state)"));

            // The cached run: a DAG of three boxes, the join after both sides, all from the cache.
            await page.Locator($"[data-testid=pipelines] td[title='{cached}'] a").ClickAsync();
            await page.WaitForURLAsync($"**/pipelines/runs/{cached}");
            Assert.Equal(["cached", "cached", "cached"], await Kinds(page));
            Assert.Equal(2, await page.Locator("[data-testid=pipeline-graph] path[data-edge]").CountAsync());
            var boxes = await page.EvaluateAsync<double[]>("() => ['left', 'right', 'join'].map(n => document.querySelector(`[data-name=${n}] rect`).x.baseVal.value)");
            Assert.True(boxes[0] == boxes[1] && boxes[2] > boxes[0], $"join is not drawn after left and right: {string.Join(", ", boxes)}");
            Assert.Contains("left side\nright side", await page.Locator("[data-step=join] [data-testid=log]").InnerTextAsync()); // the log of the run that made the outputs
            Assert.Contains("cache hit", await page.Locator("[data-testid=pipeline-graph] [data-name=join] title").TextContentAsync());

            await page.GotoAsync(url + "/pipelines");
            await page.Locator("[data-testid=pipelines] tr[data-state=failed] a").ClickAsync();
            Assert.Equal(["failed", "skipped"], await Kinds(page));
            Assert.Contains("about to fail", await page.Locator("[data-step=fail] [data-testid=log]").InnerTextAsync());
            Assert.Contains("exited with 3", await page.Locator("[data-step=fail]").InnerTextAsync());

            await page.GotoAsync($"{url}/pipelines/runs/{slowId}");
            Assert.Equal(["ran", "running", "waiting"], await Kinds(page));
            Assert.Contains("running", await page.Locator("[data-testid=facts]").InnerTextAsync());

            File.WriteAllText(Path.Combine(dir, "release"), "");
            await slow.WaitForExitAsync();
            await page.ReloadAsync();
            Assert.Equal(["ran", "ran", "ran"], await Kinds(page));
        }
    }

    private static async Task<string[]> Kinds(IPage page) =>
        await page.Locator("[data-testid=pipeline-graph] g[data-kind]").EvaluateAllAsync<string[]>("gs => gs.map(g => g.dataset.kind)");
}
