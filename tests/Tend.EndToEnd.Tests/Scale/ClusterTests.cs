using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Pipelines.Composition;
using Tend.Testing;
using Xunit.Abstractions;

namespace Tend.EndToEnd.Tests.Scale;

/// <summary>
/// Two <c>tend worker</c> processes on one PostgreSQL store and one S3 bucket (s3rver): a search handed to them scores
/// its trials on both, exactly as the same search in one process does; two trainings handed out at once run one after
/// the other under <c>--max-trainings 1</c> (without it, a CI-like run had them overlap on the two workers); a worker
/// killed with SIGKILL in the middle of a training has the job finished by the other, with one result. Schedules fire
/// once per slot however many servers run them; and the whole cluster runs at once on one machine.
/// </summary>
[Collection(Collection)]
public sealed class ClusterTests(ITestOutputHelper output)
{
    /// <summary>The tests that start several Tend processes at once, run one after another.</summary>
    public const string Collection = "several processes";

    private static readonly CancellationToken Ct = CancellationToken.None;

    [PostgresFact]
    public async Task TwoWorkers_ShareASearch_AndFinishAKilledWorkersTraining()
    {
        await using var s3 = await S3Server.StartAsync();
        var root = Directory.CreateTempSubdirectory("tend-cluster-").FullName;
        var environment = await StoresAsync(s3);
        var dir = await SpamProjectAsync(root, environment);

        var (a, startedA) = await TendProcess.StartAsync(environment, "worker", "--max-trainings", "1", "--workspace", dir);
        await using var _ = a;
        var (b, startedB) = await TendProcess.StartAsync(environment, "worker", "--max-trainings", "1", "--workspace", dir);
        await using var __ = b;
        var workers = new Dictionary<string, TendProcess> { [startedA.GetProperty("worker").GetString()!] = a, [startedB.GetProperty("worker").GetString()!] = b };

        // A search handed to the workers: its trials are scored on both, and score as they do in one process.
        var shared = Json(await TendProcess.RunAsync(environment, "train", "--queue", "--search", "6", "--workspace", dir, "--json"));
        var local = Json(await TendProcess.RunAsync(environment, "train", "--search", "6", "--workspace", dir, "--json"));
        Assert.Equal(Scores(local), Scores(shared));
        var runs = Json(await TendProcess.RunAsync(environment, "runs", "list", "--workspace", dir, "--json")).GetProperty("runs").EnumerateArray().ToList();
        var trials = runs.Where(r => r.GetProperty("parent").GetString() == shared.GetProperty("run_id").GetString()).ToList();
        Assert.Equal(6, trials.Count);
        Assert.Equal(workers.Keys.Order(), trials.Select(r => r.GetProperty("tags").GetProperty("worker").GetString()!).Distinct().Order());

        // Two trainings handed out at once, with a free worker each: --max-trainings 1 holds across the cluster, so one waits for the other.
        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => TendProcess.RunAsync(environment, "train", "--queue", "--workspace", dir, "--json")));
        var options = new TendOptions(environment[TendOptions.StoreVariable], environment[TendOptions.ArtifactsVariable], Path.Combine(root, "tmp"));
        await using var ws = await Workspace.OpenAsync(dir, options, Ct);
        var (first, second) = (await ws.Store.Jobs.ListAsync(Ct)).Where(j => j.Kind == "train").OrderBy(j => j.Started).ToList() is [var x, var y] ? (x, y) : throw new Xunit.Sdk.XunitException("two trainings");
        output.WriteLine($"trainings: {first.Started:HH:mm:ss.fff}–{first.Ended:HH:mm:ss.fff} on {first.Owner}, {second.Started:HH:mm:ss.fff}–{second.Ended:HH:mm:ss.fff} on {second.Owner}");
        Assert.True(second.Started >= first.Ended, "the second training began before the first ended");
        var atOnce = both.Select(r => Json(r).GetProperty("run_id").GetString()).ToList();
        Assert.Equal(atOnce.Select(id => JsonSerializer.Serialize(id)).Order(), new[] { first.Result, second.Result }.Order());

        // A training handed to the workers; the worker that takes it is killed mid-way, and the other finishes it.
        var trained = await KillMidTrainingAsync(environment, dir, ws, workers);
        var trainings = Json(await TendProcess.RunAsync(environment, "runs", "list", "--workspace", dir, "--json")).GetProperty("runs").EnumerateArray()
            .Where(r => r.GetProperty("parent").GetString() == "" && r.GetProperty("name").GetString() == "" && !atOnce.Contains(r.GetProperty("id").GetString())).ToList();
        Assert.Equal([trained], trainings.Where(r => r.GetProperty("status").GetString() == "finished").Select(r => r.GetProperty("id").GetString()));
        // The dead attempt's run was saved with its first heartbeat, naming its process: it is ended as killed once a command sees that process gone.
        Assert.Equal("killed", Assert.Single(trainings, r => r.GetProperty("id").GetString() != trained).GetProperty("status").GetString());
    }

    /// <summary>A worker stopped with SIGTERM, as systemd stops it, takes no new job and finishes the one it runs: no other attempt, nothing lost.</summary>
    [PostgresFact]
    public async Task AWorkerStoppedWithSigterm_FinishesItsTraining()
    {
        var root = Directory.CreateTempSubdirectory("tend-stop-").FullName;
        var environment = new Dictionary<string, string> { [TendOptions.StoreVariable] = await PostgresServer.FreshSchemaAsync() };
        var dir = await SpamProjectAsync(root, environment);
        var (worker, started) = await TendProcess.StartAsync(environment, "worker", "--workspace", dir);
        await using var _ = worker;
        await using var ws = await Workspace.OpenAsync(dir, TendOptions.ForFolder(dir) with { StoreUri = environment[TendOptions.StoreVariable] }, Ct);
        using var training = Process.Start(TendProcess.Command(environment, ["train", "--queue", "--workspace", dir, "--json"]))!;
        var stdout = training.StandardOutput.ReadToEndAsync();
        var stderr = training.StandardError.ReadToEndAsync();
        await Eventually.HoldsAsync(async () => (await ws.Store.Runs.QueryAsync(Core.Stores.RunQuery.Parse("spam", "status = 'running'", null), Ct)).Runs.Count > 0);

        Assert.Equal(0, await worker.TerminateAsync()); // returns once the worker has ended
        await training.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(training.ExitCode == 0, await stderr);
        var job = Assert.Single(await ws.Store.Jobs.ListAsync(Ct));
        Assert.Equal((JobState.Succeeded, 1L, started.GetProperty("worker").GetString()), (job.State, job.Fence, job.Owner));
        Assert.Equal(JsonSerializer.Serialize(Json(await stdout).GetProperty("run_id").GetString()), job.Result);
    }

    /// <summary>
    /// Two servers run the same schedules (the monitor's every 2 s, a pipeline's every 4 s, and a pipeline started by that
    /// one's finished runs) and hand what they start to a worker (<c>--slots 0</c>): each slot and each finished run fires
    /// once, on one of them, where without the slot's job both would fire it (one run and a skip, or two runs); every
    /// pipeline run and monitor runs on the worker.
    /// </summary>
    [PostgresFact]
    public async Task TwoServers_FireEachScheduleSlot_Once_AndTheWorkerRunsIt()
    {
        var root = Directory.CreateTempSubdirectory("tend-schedules-").FullName;
        var environment = new Dictionary<string, string> { [TendOptions.StoreVariable] = await PostgresServer.FreshSchemaAsync() };
        var spec = SpecWriter.Render("spam", MlTask.Binary, "type", "spam", 0.9);
        Assert.Contains("\nmonitor:\n", spec);
        var dir = await SpamProjectAsync(root, environment, spec.Replace("\nmonitor:\n", "\nmonitor:\n  schedule: \"*/2 * * * * *\"\n", StringComparison.Ordinal) + """

            pipelines:
              - name: stamp
                triggers:
                  - schedule: "*/4 * * * * *"
                steps:
                  - name: stamp
                    command: echo stamped
                    cache: false
              - name: after
                triggers:
                  - run_finished: stamp
                steps:
                  - name: note
                    command: echo after
                    cache: false
            """);
        await using var ws = await Workspace.OpenAsync(dir, TendOptions.ForFolder(dir) with { StoreUri = environment[TendOptions.StoreVariable] }, Ct);
        var (worker, started) = await TendProcess.StartAsync(environment, "worker", "--slots", "2", "--workspace", dir);
        await using (worker)
        {
            var (a, _) = await TendProcess.StartAsync(environment, "serve", "--port", "0", "--slots", "0", "--workspace", dir);
            await using (a)
            {
                var (b, _) = await TendProcess.StartAsync(environment, "serve", "--port", "0", "--slots", "0", "--workspace", dir);
                await using (b)
                {
                    await Task.Delay(TimeSpan.FromSeconds(13)); // six or seven monitor slots, three or four of the pipeline, with both servers up
                    await b.TerminateAsync();
                }
                await a.TerminateAsync();
            }
            await Eventually.HoldsAsync(async () => (await ws.Store.Jobs.ListAsync(Ct)).All(j => j.HasEnded)); // the worker ends what was handed to it
        }

        var jobs = await ws.Store.Jobs.ListAsync(Ct);
        var slots = jobs.Where(j => j.Kind == Job.ScheduleKind).Select(j => (Job: j, Slot: TendJson.Deserialize<ScheduleSlot>(j.Payload))).ToList();
        foreach (var schedule in new[] { "monitor", "pipeline stamp: schedule */4 * * * * *" })
        {
            var fired = slots.Where(s => s.Slot.Schedule == schedule).ToList();
            output.WriteLine($"{schedule}: {fired.Count} slots, fired by {string.Join(", ", fired.Select(s => s.Job.Owner).Distinct())}");
            Assert.True(fired.Count >= 3, $"{schedule}: {fired.Count} slots");
            Assert.Equal(fired.Count, fired.Select(s => s.Slot.Due).Distinct().Count());
            Assert.All(fired, s => Assert.Equal(JobState.Succeeded, s.Job.State));
        }
        Assert.Equal(slots.Count(s => s.Slot.Schedule == "monitor"), jobs.Count(j => j.Kind == "monitor")); // one job a slot
        var workerName = started.GetProperty("worker").GetString();
        Assert.All(jobs.Where(j => j.Kind == "monitor"), j => Assert.Equal((JobState.Succeeded, workerName), (j.State, j.Owner)));
        // A pipeline's job makes a run, or finds one already running (two servers' runs of a pipeline that ran long) and is refused.
        Assert.All(jobs.Where(j => j.Kind == "pipeline"), j => Assert.True(j.Owner == workerName && (j.State == JobState.Succeeded || j.Code == ErrorCode.Conflict), $"{j.State} {j.Code} by {j.Owner}: {j.Error}"));
        var runs = await Pipelines.Services.PipelineService.ListAsync(ws.Store.Pipelines, ws.Time, Ct, "spam");
        Assert.Equal(runs.Count, jobs.Count(j => j.Kind == "pipeline" && j.State == JobState.Succeeded));
        Assert.All(runs, r => Assert.Equal(PipelineState.Succeeded, r.Status));
        var audit = await ws.Store.Audit.ListAsync(Ct);
        List<string> Acted(string pipeline, string pattern) =>
            [.. runs.Where(r => r.Pipeline == pipeline).Select(r => r.Trigger).Concat(audit.Where(e => e.Action == "pipeline.skip" && e.Subject == $"pipeline:{pipeline}").Select(e => e.Reason))
                .Select(text => Regex.Match(text, pattern).Groups[1].Value)];
        // Each stamp slot is acted on once: a run, or a skip while the run of an earlier slot still ran (overlap: skip); the
        // last may have fired as the servers stopped. Without the slot's job, both servers would act on each.
        var stampSlots = slots.Where(s => s.Slot.Schedule.StartsWith("pipeline stamp", StringComparison.Ordinal))
            .Select(s => s.Slot.Due.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture)).Order().ToList();
        var stamped = Acted("stamp", @"due at (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d)");
        Assert.Equal(stamped.Count, stamped.Distinct().Count());
        Assert.Subset(stampSlots.ToHashSet(), stamped.ToHashSet());
        Assert.InRange(stamped.Count, stampSlots.Count - 1, stampSlots.Count);
        // Each finished stamp run, seen by both servers, is acted on once: a run of 'after', or a skip when two stamp runs
        // ended within one look at the store and the first one's 'after' still ran. The last may have ended as they stopped.
        var after = Acted("after", "run ([0-9a-f]{8}) succeeded");
        Assert.InRange(after.Count, runs.Count(r => r.Pipeline == "stamp") - 1, runs.Count(r => r.Pipeline == "stamp"));
        Assert.Equal(after.Count, after.Distinct().Count());
    }

    /// <summary>
    /// The whole cluster at once, as issue 25 draws it on one machine: PostgreSQL, s3rver, two workers, and two
    /// <c>tend serve</c> replicas (<c>--slots 0</c>) behind HAProxy, the monitor scheduled every 2 s on both. A search
    /// started on the cluster scores its trials on both workers; a worker killed with SIGKILL mid-training has its job
    /// finished by the other, with one registered result; a promotion under wrk's load through HAProxy fails no request;
    /// each monitor slot fires once; the one log holds every request both replicas answered.
    /// </summary>
    [PostgresFact]
    public async Task ACluster_OnOneMachine_WorksAsOne()
    {
        await using var s3 = await S3Server.StartAsync();
        var root = Directory.CreateTempSubdirectory("tend-one-cluster-").FullName;
        var environment = await StoresAsync(s3);
        var spec = SpecWriter.Render("spam", MlTask.Binary, "type", "spam", 0.9);
        var dir = await SpamProjectAsync(root, environment, spec.Replace("\nmonitor:\n", "\nmonitor:\n  schedule: \"*/2 * * * * *\"\n", StringComparison.Ordinal));
        var options = new TendOptions(environment[TendOptions.StoreVariable], environment[TendOptions.ArtifactsVariable], Path.Combine(root, "tmp"));
        await using var ws = await Workspace.OpenAsync(dir, options, Ct);
        async Task<JsonElement> TendAsync(params string[] args) => Json(await TendProcess.RunAsync(environment, [.. args, "--workspace", dir, "--json"]));

        var (a, startedA) = await TendProcess.StartAsync(environment, "worker", "--workspace", dir);
        await using var _ = a;
        var (b, startedB) = await TendProcess.StartAsync(environment, "worker", "--workspace", dir);
        await using var __ = b;
        var workers = new Dictionary<string, TendProcess> { [startedA.GetProperty("worker").GetString()!] = a, [startedB.GetProperty("worker").GetString()!] = b };

        // A search started on the cluster: its trials are scored on both workers.
        var search = await TendAsync("train", "--queue", "--search", "4");
        var trials = (await TendAsync("runs", "list")).GetProperty("runs").EnumerateArray().Where(r => r.GetProperty("parent").GetString() == search.GetProperty("run_id").GetString()).ToList();
        Assert.Equal(workers.Keys.Order(), trials.Select(r => r.GetProperty("tags").GetProperty("worker").GetString()!).Distinct().Order());

        // A training whose worker is killed mid-way: the other finishes it, and its one result is registered.
        var trained = await KillMidTrainingAsync(environment, dir, ws, workers);
        Assert.Equal(1, (await TendAsync("models", "register", trained)).GetProperty("version").GetInt32());
        await TendAsync("models", "promote", "spam", "1", "--reason", "the killed worker's training", "--force");
        Assert.Equal(2, (await TendAsync("models", "register", search.GetProperty("run_id").GetString()!)).GetProperty("version").GetInt32());

        // Two replicas behind HAProxy, each scheduling the monitor; wrk's load through it while version 2 is promoted.
        var (serverA, servingA) = await TendProcess.StartAsync(environment, "serve", "--port", "0", "--slots", "0", "--workspace", dir);
        await using var ___ = serverA;
        var (serverB, servingB) = await TendProcess.StartAsync(environment, "serve", "--port", "0", "--slots", "0", "--workspace", dir);
        await using var ____ = serverB;
        var (urlA, urlB) = (servingA.GetProperty("url").GetString()!, servingB.GetProperty("url").GetString()!);
        var token = TendProcess.AdminToken; // the first admin's, as TEND_ADMIN_TOKEN gives it to every replica
        var port = HookListener.FreePort();
        await using var haproxy = await ReplicasTests.HaproxyAsync(port, new Uri(urlA).Authority, new Uri(urlB).Authority);
        var balanced = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var data = CsvReader.ReadFile(TestWorkspace.SpamCsv);
        async Task<int> VersionAsync(string url)
        {
            using var response = await http.PostAsync($"{url}/v1/models/spam/predict", new StringContent(FeatureJson.Of(data, 1, "type"), Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            return Json(body).GetProperty("version").GetInt32();
        }
        Assert.Equal(1, await VersionAsync(balanced));
        var wrk = await ReplicasTests.WrkAsync(root, FeatureJson.Of(data, 0, "type"), $"Bearer {token}", balanced);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await TendAsync("models", "promote", "spam", "2", "--reason", "under load", "--force");
        var said = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        output.WriteLine(said);
        Assert.DoesNotContain("Non-2xx", said);
        Assert.DoesNotContain("Socket errors", said);
        var answered = long.Parse(Regex.Match(said, @"(\d+) requests in").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(answered > 100, said);

        // The one log: every request either replica answered (wrk's, and those in flight on its 8 connections as it stopped).
        var counted = new long[2];
        long logged = 0;
        await Eventually.HoldsAsync(async () =>
        {
            counted = [ReplicasTests.Counted(await http.GetStringAsync($"{urlA}/metrics")), ReplicasTests.Counted(await http.GetStringAsync($"{urlB}/metrics"))];
            logged = await ReplicasTests.LoggedAsync(http, balanced);
            return logged == counted.Sum();
        });
        output.WriteLine($"answered: {counted[0]} by one replica, {counted[1]} by the other; {logged} logged");
        Assert.All(counted, c => Assert.True(c > 0, "a replica answered nothing"));
        Assert.InRange(logged, answered + 1, answered + 1 + ReplicasTests.Connections); // and the one asked before
        foreach (var replica in new[] { urlA, urlB }) // each serves the version promoted under load once it has loaded it
            await Eventually.HoldsAsync(async () => await VersionAsync(replica) == 2);

        await serverB.TerminateAsync();
        await serverA.TerminateAsync();
        var monitors = (await ws.Store.Jobs.ListAsync(Ct)).Where(j => j.Kind == Job.ScheduleKind).Select(j => TendJson.Deserialize<ScheduleSlot>(j.Payload)).Where(s => s.Schedule == "monitor").ToList();
        output.WriteLine($"monitor: {monitors.Count} slots");
        Assert.True(monitors.Count >= 3, $"{monitors.Count} monitor slots");
        Assert.Equal(monitors.Count, monitors.Select(s => s.Due).Distinct().Count()); // each slot fired once, by one replica
    }

    /// <summary>
    /// Hands a training to <paramref name="workers"/> and kills (SIGKILL) the one that takes it once its run is under way:
    /// the other finishes the job, as its second attempt, with the result the caller was given. The run it made.
    /// </summary>
    private async Task<string> KillMidTrainingAsync(IReadOnlyDictionary<string, string> environment, string dir, Workspace ws, Dictionary<string, TendProcess> workers)
    {
        using var training = Process.Start(TendProcess.Command(environment, ["train", "--queue", "--workspace", dir, "--json"]))!;
        var stdout = training.StandardOutput.ReadToEndAsync();
        var stderr = training.StandardError.ReadToEndAsync();
        Job? taken = null;
        await Eventually.HoldsAsync(async () =>
        {
            taken = (await ws.Store.Jobs.ListAsync(Ct)).FirstOrDefault(j => j is { Kind: "train", State: JobState.Running });
            return taken is not null && (await ws.Store.Runs.QueryAsync(Core.Stores.RunQuery.Parse("spam", "status = 'running'", null), Ct)).Runs.Count > 0;
        });
        var killed = Stopwatch.StartNew();
        await workers[taken!.Owner!].KillAsync();
        await training.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(training.ExitCode == 0, await stderr);
        output.WriteLine($"the training ended {killed.Elapsed.TotalSeconds:0.0} s after its worker was killed");
        var trained = Json(await stdout).GetProperty("run_id").GetString()!;
        var job = (await ws.Store.Jobs.GetAsync(taken.Id, Ct))!;
        Assert.Equal((JobState.Succeeded, 2L, JsonSerializer.Serialize(trained)), (job.State, job.Fence, job.Result)); // the second attempt
        Assert.Single(workers.Keys, w => w != taken.Owner && w == job.Owner); // on the other worker
        return trained;
    }

    /// <summary>What every process of a test's cluster is given: a fresh PostgreSQL schema, and a bucket's prefix of its own on <paramref name="s3"/>.</summary>
    private static async Task<Dictionary<string, string>> StoresAsync(S3Server s3) => new()
    {
        [TendOptions.StoreVariable] = await PostgresServer.FreshSchemaAsync(),
        [TendOptions.ArtifactsVariable] = s3.Uri($"cluster-{Guid.NewGuid():N}"),
    };

    /// <summary>A spam project in <paramref name="root"/>, with <paramref name="spec"/> as its tend.yaml (default: the generated one), its data added to the stores <paramref name="environment"/> names.</summary>
    private static async Task<string> SpamProjectAsync(string root, IReadOnlyDictionary<string, string> environment, string? spec = null)
    {
        var dir = Path.Combine(root, "spam");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, SpecLoader.FileName), spec ?? SpecWriter.Render("spam", MlTask.Binary, "type", "spam", 0.9));
        await TendProcess.RunAsync(environment, "data", "add", TestWorkspace.SpamCsv, "--workspace", dir);
        return dir;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static IEnumerable<(int, double)> Scores(JsonElement search) =>
        search.GetProperty("leaderboard").EnumerateArray().Select(e => (e.GetProperty("trial").GetInt32(), e.GetProperty("score").GetDouble()));
}
