using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Services;
using Tend.Pipelines.Triggers;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// What starts a declared pipeline by itself, as <c>tend serve</c> runs it, on a fake clock where time matters: a
/// schedule in a time zone, a new file in a watched folder (debounced), an alert, another pipeline's finished run; one
/// run at a time with skip, queue and cancel; a limit per window; every trigger recorded.
/// </summary>
public sealed class PipelineTriggerTests
{
    private static async Task<(TestWorkspace Dir, Workspace Ws, FakeTimeProvider Time)> OpenAsync(string yaml, DateTimeOffset now, string? monitor = null)
    {
        var dir = new TestWorkspace();
        await dir.InitAsync();
        if (monitor is not null)
            dir.SetMonitor(monitor);
        File.AppendAllText(Path.Combine(dir.Dir, "tend.yaml"), yaml);
        var time = new FakeTimeProvider(now);
        return (dir, await Workspace.OpenAsync(dir.Dir, CancellationToken.None, time: time), time);
    }

    /// <summary>
    /// A project's triggers running, as the server runs them (their runs handed to an in-process job engine), or as
    /// <paramref name="servers"/> servers on one store each run them; disposing stops them as the server does when it stops.
    /// </summary>
    private sealed class Triggers : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private JobEngine _engine = null!;
        private Task _running = Task.CompletedTask;

        public static async Task<Triggers> RunAsync(Workspace ws, int servers = 1)
        {
            var triggers = new Triggers { _engine = await JobEngine.StartAsync(ws, 1, NullLogger.Instance, CancellationToken.None, cancelOnStop: true) };
            triggers._running = Task.WhenAll(Enumerable.Range(0, servers).Select(_ =>
                new PipelineTriggers(ws.Handing(triggers._engine.Dispatch), NullLogger.Instance, triggers._stop.Token).RunAsync(triggers._stop.Token)));
            return triggers;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running;
            await _engine.DisposeAsync();
            _stop.Dispose();
        }
    }

    private static async Task<IReadOnlyList<PipelineRun>> RunsAsync(Workspace ws, string pipeline) =>
        [.. (await PipelineService.ListAsync(ws.Store.Pipelines, ws.Time, CancellationToken.None, ws.Spec.Name)).Where(r => r.Pipeline == pipeline)];

    /// <summary>Moves the clock on by <paramref name="step"/> each look until <paramref name="pipeline"/> has <paramref name="count"/> runs that ended.</summary>
    private static async Task<IReadOnlyList<PipelineRun>> AdvanceUntilAsync(Workspace ws, FakeTimeProvider time, string pipeline, int count, TimeSpan step)
    {
        IReadOnlyList<PipelineRun> runs = [];
        await Eventually.HoldsAsync(async () =>
        {
            runs = await RunsAsync(ws, pipeline);
            if (runs.Count(r => r.Status != PipelineState.Running) >= count)
                return true;
            time.Advance(step);
            return false;
        });
        return runs;
    }

    [Fact]
    public async Task ASchedule_StartsTheRun_AtItsTimeInItsZone()
    {
        // 02:59:30 in Berlin (summer time, UTC+2): the run is due at 03:00 there, 01:00 UTC.
        var (dir, ws, time) = await OpenAsync("""

            pipelines:
              - name: nightly
                triggers:
                  - schedule: "0 3 * * *"
                    timezone: Europe/Berlin
                steps:
                  - name: stamp
                    command: echo ran >> stamped.txt
                    cache: false
            """, new DateTimeOffset(2026, 6, 1, 0, 59, 30, TimeSpan.Zero));
        using (dir)
        await using (ws)
        {
            await using var triggers = await Triggers.RunAsync(ws);
            var runs = await AdvanceUntilAsync(ws, time, "nightly", 1, TimeSpan.FromSeconds(5));
            var run = Assert.Single(runs);
            Assert.Equal("schedule 0 3 * * * (Europe/Berlin): due at 2026-06-01 03:00:00+02:00", run.Trigger);
            Assert.True(run.Started >= new DateTimeOffset(2026, 6, 1, 1, 0, 0, TimeSpan.Zero), $"started at {run.Started:O}, before it was due");
            Assert.Equal((PipelineState.Succeeded, "spam"), (run.Status, run.Project));
            Assert.Equal("ran", File.ReadAllText(Path.Combine(dir.Dir, "stamped.txt")).Trim());
        }
    }

    /// <summary>
    /// A new file in a watched folder starts one run once the folder has stayed unchanged for the debounce, however many
    /// servers watch it (two here, on one store); the first look only notes what is there. The run's trigger names the
    /// source and the observations it saw change.
    /// </summary>
    [Fact]
    public async Task ANewFileInAWatchedFolder_StartsOneRun_AfterTheDebounce()
    {
        var (dir, ws, time) = await OpenAsync("""

            data:
              sources:
                - name: raw
                  path: incoming
            pipelines:
              - name: ingestion
                triggers:
                  - new_data: raw
                    every: 1m
                    debounce: 90s
                steps:
                  - name: count
                    command: ls incoming | wc -l | tr -d ' ' > count.txt
                    inputs: [incoming]
                    outputs: [count.txt]
            """, DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.Combine(dir.Dir, "incoming"));
        File.WriteAllText(Path.Combine(dir.Dir, "incoming", "a.csv"), "x\n1\n");
        using (dir)
        await using (ws)
        {
            await using var triggers = await Triggers.RunAsync(ws, servers: 2);
            await Eventually.HoldsAsync(async () => await ws.Store.Pipelines.GetWatermarkAsync("spam/ingestion/raw", CancellationToken.None) is not null); // the first look: what is there is not new
            time.Advance(TimeSpan.FromMinutes(5));
            Assert.Empty(await RunsAsync(ws, "ingestion"));

            File.WriteAllText(Path.Combine(dir.Dir, "incoming", "b.csv"), "x\n2\n");
            File.WriteAllText(Path.Combine(dir.Dir, "incoming", "c.csv"), "x\n3\n");
            var run = Assert.Single(await AdvanceUntilAsync(ws, time, "ingestion", 1, TimeSpan.FromSeconds(30)));
            Assert.Matches(@"^new_data raw: sha256:[0-9a-f]{17}… → sha256:[0-9a-f]{17}…$", run.Trigger);
            Assert.Equal("3", File.ReadAllText(Path.Combine(dir.Dir, "count.txt")).Trim());

            time.Advance(TimeSpan.FromMinutes(10)); // nothing changed since: no second run
            await Task.Delay(200);
            Assert.Single(await RunsAsync(ws, "ingestion"));
            Assert.DoesNotContain(await ws.Store.Audit.ListAsync(CancellationToken.None, "pipeline:ingestion"), e => e.Action == "pipeline.skip"); // nor a second server's trigger
        }
    }

    /// <summary>
    /// Upgrading from a tend that kept what a trigger acted on in the project's state folder: that observation is where
    /// change is counted from, so a file that came while the server was down starts a run.
    /// </summary>
    [Fact]
    public async Task AWatermarkKeptInTheStateFolder_CountsAfterTheUpgrade()
    {
        var (dir, ws, time) = await OpenAsync("""

            data:
              sources:
                - name: raw
                  path: incoming
            pipelines:
              - name: ingestion
                triggers:
                  - new_data: raw
                    every: 1m
                    debounce: 1m
                steps:
                  - name: note
                    command: echo noted
            """, DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.Combine(dir.Dir, "incoming"));
        File.WriteAllText(Path.Combine(dir.Dir, "incoming", "a.csv"), "x\n1\n");
        var kept = ws.CacheFile("observed-sources.json");
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        File.WriteAllText(kept, """{"ingestion/raw": "sha256:seen-before-the-upgrade"}""");
        using (dir)
        await using (ws)
        {
            await using var triggers = await Triggers.RunAsync(ws);
            var run = Assert.Single(await AdvanceUntilAsync(ws, time, "ingestion", 1, TimeSpan.FromSeconds(30)));
            Assert.StartsWith("new_data raw: sha256:seen-before-the-u… → sha256:", run.Trigger);
        }
    }

    /// <summary>An alert of the named rule starts one pipeline; that pipeline's success starts the one that waits for it.</summary>
    [Fact]
    public async Task AnAlert_StartsAPipeline_WhoseFinishedRunStartsTheNext()
    {
        var (dir, ws, time) = await OpenAsync("""

            pipelines:
              - name: retrain
                triggers:
                  - alert: drift
                steps:
                  - name: note
                    command: echo retrained > retrained.txt
                    cache: false
              - name: report
                triggers:
                  - run_finished: retrain
                steps:
                  - name: note
                    command: echo reported > reported.txt
                    cache: false
            """, DateTimeOffset.UtcNow, """
            monitor:
              alerts:
                - name: drift
                  when: dataset_drift
            """);
        using (dir)
        await using (ws)
        {
            await using var triggers = await Triggers.RunAsync(ws);
            time.Advance(TimeSpan.FromSeconds(1));
            await ws.Store.Alerts.SaveAsync(new Alert(Guid.NewGuid().ToString("N"), "drift", AlertSeverity.Critical, time.GetUtcNow(), "report-1", "spam",
                "dataset_drift", "true", "dataset drift by benjamini_hochberg"), null, CancellationToken.None);

            var retrain = Assert.Single(await AdvanceUntilAsync(ws, time, "retrain", 1, PipelineTriggers.Poll));
            Assert.Matches(@"^alert drift: alert [0-9a-f]{8} \(Critical\): dataset drift by benjamini_hochberg$", retrain.Trigger);
            var report = Assert.Single(await AdvanceUntilAsync(ws, time, "report", 1, PipelineTriggers.Poll));
            Assert.Equal($"run_finished retrain: run {retrain.Id[..8]} succeeded", report.Trigger);
            Assert.True(File.Exists(Path.Combine(dir.Dir, "reported.txt")));
        }
    }

    /// <summary>
    /// One run at a time: a trigger with overlap skip is dropped (and audited), queue waits for the active run (a second
    /// joins it), cancel stops the active run and starts anew; past the limit (counted by the store) a trigger's job starts no
    /// run, and the trigger is recorded as skipped, saying when the next may start.
    /// </summary>
    [Fact]
    public async Task OneRunAtATime_SkipQueueCancel_AndTheLimit()
    {
        var (dir, ws, _) = await OpenAsync("""

            pipelines:
              - name: slow
                limit:
                  runs: 3
                  per: 1h
                triggers:
                  - webhook: true
                steps:
                  - name: wait
                    command: while [ ! -f "release/$TEND_PIPELINE_RUN" ]; do sleep 0.05; done
                    cache: false
            """, DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.Combine(dir.Dir, "release"));
        using (dir)
        await using (ws)
        {
            using var stop = new CancellationTokenSource();
            await using var engine = await JobEngine.StartAsync(ws, 1, NullLogger.Instance, CancellationToken.None, cancelOnStop: true);
            var starter = new PipelineStarter(ws.Handing(engine.Dispatch), ws.Spec.Pipelines!.Single(), NullLogger.Instance, stop.Token);
            TriggerSpec Hook(Overlap overlap) => new(TriggerKind.Webhook, "", overlap);
            async Task<PipelineRun> RunningAsync(string trigger)
            {
                PipelineRun? found = null;
                await Eventually.HoldsAsync(async () => (found = (await RunsAsync(ws, "slow")).FirstOrDefault(r => r.Status == PipelineState.Running && r.Trigger == trigger)) is not null);
                return found!;
            }
            void Release(PipelineRun run) => File.WriteAllText(Path.Combine(dir.Dir, "release", run.Id), "");

            Assert.Equal(Fired.Started, await starter.FireAsync(Hook(Overlap.Skip), "one"));
            var first = await RunningAsync("webhook: one");
            Assert.Equal(Fired.Skipped, await starter.FireAsync(Hook(Overlap.Skip), "two"));
            Assert.Equal(Fired.Waiting, await starter.FireAsync(Hook(Overlap.Queue), "three"));
            Assert.Equal(Fired.Waiting, await starter.FireAsync(Hook(Overlap.Queue), "four")); // joins the one waiting

            Release(first);
            var second = await RunningAsync("webhook: three; webhook: four");
            Assert.Equal(Fired.Waiting, await starter.FireAsync(Hook(Overlap.Cancel), "five"));
            var third = await RunningAsync("webhook: five");
            Release(third);
            await starter.Active; // the third run's job ended
            Assert.Equal(Fired.Started, await starter.FireAsync(Hook(Overlap.Skip), "six")); // a fourth run within the hour: its job finds the limit reached
            await starter.Active;

            var runs = await RunsAsync(ws, "slow");
            Assert.Equal([("webhook: one", PipelineState.Succeeded), ("webhook: three; webhook: four", PipelineState.Cancelled), ("webhook: five", PipelineState.Succeeded)],
                runs.Select(r => (r.Trigger, r.Status)));
            Assert.Equal(second.Id, runs[1].Id);
            Assert.Equal("wait cancelled", runs[1].Message);
            var skips = (await ws.Store.Audit.ListAsync(CancellationToken.None, "pipeline:slow")).Where(e => e.Action == "pipeline.skip").Select(e => e.Reason).ToList();
            Assert.Equal(2, skips.Count);
            Assert.Equal("webhook: two: a run of the pipeline is active (overlap: skip)", skips[0]);
            Assert.Matches(@"^webhook: six: job [0-9a-f]{8} \(pipeline of .+\) failed: the pipeline's limit of 3 runs per 1h is reached; the next may start at ", skips[1]);
            await stop.CancelAsync();
        }
    }
}

/// <summary>
/// A pipeline's webhook on the server: Debian's Prometheus Alertmanager, given an alert, posts it with a service
/// account's token and the run starts, its trigger naming the alert; the endpoint's refusals are 4xx that say why.
/// </summary>
public sealed class PipelineWebhookTests
{
    private const string Pipelines = """

        pipelines:
          - name: retrain
            triggers:
              - webhook: true
            steps:
              - name: note
                command: echo retrained >> retrained.txt
                cache: false
          - name: manual
            steps:
              - name: note
                command: "true"
        """;

    [Fact]
    public async Task AlertmanagerFiringAnAlert_StartsThePipeline_WithItsToken()
    {
        using var dir = new TestWorkspace();
        await dir.InitAsync();
        File.AppendAllText(Path.Combine(dir.Dir, "tend.yaml"), Pipelines);
        await using var ws = await Workspace.OpenAsync(dir.Dir, CancellationToken.None);
        var (app, url) = await Tend.Server.TendServer.StartAsync(ws, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            var token = await app.TokenAsync("alertmanager", Tend.Core.Identity.Role.Contributor, "spam");
            var port = HookListener.FreePort();
            var config = Path.Combine(dir.Dir, "alertmanager.yml");
            File.WriteAllText(config, $"""
                route:
                  receiver: tend
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: tend
                    webhook_configs:
                      - url: {url}/api/v1/projects/spam/pipelines/retrain/runs
                        send_resolved: false
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: {token}
                """);
            var start = new System.Diagnostics.ProcessStartInfo("prometheus-alertmanager") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { $"--config.file={config}", $"--storage.path={Path.Combine(dir.Dir, "am-data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=" })
                start.ArgumentList.Add(arg);
            using var alertmanager = System.Diagnostics.Process.Start(start)!;
            var log = new System.Text.StringBuilder();
            alertmanager.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            alertmanager.BeginErrorReadLine();
            try
            {
                using var am = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await Eventually.HoldsAsync(async () =>
                {
                    try { return (await am.GetAsync("/-/ready")).IsSuccessStatusCode; } catch (HttpRequestException) { return false; }
                });
                var alert = """[{"labels": {"alertname": "TendDatasetDrift", "severity": "critical"}, "annotations": {"summary": "drift on spam"}}]""";
                var posted = await am.PostAsync("/api/v2/alerts", new StringContent(alert, System.Text.Encoding.UTF8, "application/json"));
                Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

                PipelineRun? run = null;
                await Eventually.HoldsAsync(async () => (run = (await PipelineService.ListAsync(ws.Store.Pipelines, ws.Time, CancellationToken.None, "spam"))
                    .FirstOrDefault(r => r.Pipeline == "retrain" && r.Status != PipelineState.Running)) is not null);
                Assert.Equal(PipelineState.Succeeded, run!.Status);
                Assert.Equal("webhook: Alertmanager to receiver tend, called by alertmanager: firing TendDatasetDrift (1 alerts)", run.Trigger);
                Assert.Contains("retrained", File.ReadAllText(Path.Combine(dir.Dir, "retrained.txt")));
            }
            finally
            {
                alertmanager.Kill();
                await alertmanager.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task TheWebhook_AnswersWhatItDid_AndRefusesWithReasons()
    {
        using var dir = new TestWorkspace();
        await dir.InitAsync();
        File.AppendAllText(Path.Combine(dir.Dir, "tend.yaml"), Pipelines);
        await using var ws = await Workspace.OpenAsync(dir.Dir, CancellationToken.None);
        var (app, url) = await Tend.Server.TendServer.StartAsync(ws, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var ops = await app.AsAsync(url, "ops", Tend.Core.Identity.Role.Contributor, "spam");
            var started = await ops.PostAsync("/api/v1/projects/spam/pipelines/retrain/runs", null);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, started.StatusCode);
            var answer = System.Text.Json.JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(("started", "webhook: called by ops"), (answer.GetProperty("fired").GetString(), answer.GetProperty("trigger").GetString()));

            var resolved = await ops.PostAsync("/api/v1/projects/spam/pipelines/retrain/runs",
                new StringContent("""{"status": "resolved", "receiver": "tend", "alerts": [{"labels": {"alertname": "X"}}]}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal("ignored", System.Text.Json.JsonDocument.Parse(await resolved.Content.ReadAsStringAsync()).RootElement.GetProperty("fired").GetString());

            var notJson = await ops.PostAsync("/api/v1/projects/spam/pipelines/retrain/runs", new StringContent("{oops", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, notJson.StatusCode);
            Assert.Contains("not JSON", await notJson.Content.ReadAsStringAsync());
            var noHook = await ops.PostAsync("/api/v1/projects/spam/pipelines/manual/runs", null);
            Assert.Equal(System.Net.HttpStatusCode.Conflict, noHook.StatusCode);
            Assert.Contains("no 'webhook: true' trigger", await noHook.Content.ReadAsStringAsync());
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await ops.PostAsync("/api/v1/projects/spam/pipelines/nosuch/runs", null)).StatusCode);

            using var viewer = await app.AsAsync(url, "watcher", Tend.Core.Identity.Role.Viewer, "spam");
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/v1/projects/spam/pipelines/retrain/runs", null)).StatusCode);
            using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/projects/spam/pipelines/retrain/runs", null)).StatusCode);

            PipelineRun? run = null;
            await Eventually.HoldsAsync(async () => (run = (await PipelineService.ListAsync(ws.Store.Pipelines, ws.Time, CancellationToken.None, "spam")).FirstOrDefault(r => r.Status != PipelineState.Running)) is not null);
            var listed = System.Text.Json.JsonDocument.Parse(await viewer.GetStringAsync("/api/v1/projects/spam/pipelines/runs")).RootElement;
            Assert.Equal(run!.Id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
            var cancel = await ops.PostAsync($"/api/v1/projects/spam/pipelines/runs/{run.Id}/cancel", null);
            Assert.Equal(System.Net.HttpStatusCode.Conflict, cancel.StatusCode); // it ended
            Assert.Contains("is not running", await cancel.Content.ReadAsStringAsync());
        }
    }
}
