using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>Pipelines declared in tend.yaml: command steps run in the DAG's order, reused when nothing they depend on changed, explained either way.</summary>
public sealed class DeclaredPipelineTests
{
    private const string Pipelines = """

        pipelines:
          - name: words
            steps:
              - name: count
                needs: [shout]
                command: wc -l < build/upper.txt | tr -d ' ' > build/count.txt
                inputs: [build/upper.txt]
                outputs: [build/count.txt]
              - name: shout
                command: mkdir -p build && tr a-z A-Z < data/raw.txt > build/upper.txt
                inputs: [data/raw.txt]
                outputs: [build/upper.txt]
              - name: stamp
                command: mkdir -p build && echo fixed > build/stamp.txt
                outputs: [build/stamp.txt]
          - name: broken
            steps:
              - name: fail
                command: echo about to fail && exit 3
              - name: after
                needs: [fail]
                command: echo never
          - name: flaky
            steps:
              - name: first
                command: mkdir -p build && date +%s%N > build/first.txt
                outputs: [build/first.txt]
              - name: second
                needs: [first]
                command: test -f ready.flag && cp build/first.txt build/second.txt
                inputs: [build/first.txt]
                outputs: [build/second.txt]
          - name: slow
            steps:
              - name: wait
                command: while [ ! -f release ]; do sleep 0.05; done
                cache: false
          - name: killed
            steps:
              - name: once
                retries: 2
                command: if [ -f .tried ]; then echo second try; else touch .tried; kill -9 $$; fi
        """;

    private static async Task<System.Text.Json.JsonElement> RunAsync(TestWorkspace ws, params string[] more) =>
        await Cli.JsonAsync(ws.Dir, ["pipeline", "run", "words", .. more]);

    private static IEnumerable<(string Step, bool Cached)> Steps(System.Text.Json.JsonElement run) =>
        run.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("cached").GetBoolean()));

    [Fact]
    public async Task ADeclaredPipeline_RunsItsCommands_ReusesWhatDidNotChange_AndSaysWhy()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), Pipelines);
        Directory.CreateDirectory(Path.Combine(ws.Dir, "data"));
        var raw = Path.Combine(ws.Dir, "data", "raw.txt");
        File.WriteAllText(raw, "hello\nworld\n");
        string Output(string name) => File.ReadAllText(Path.Combine(ws.Dir, "build", name)).Trim();

        var first = await RunAsync(ws);
        Assert.Equal([("shout", false), ("count", false), ("stamp", false)], Steps(first)); // each after what it needs
        Assert.Equal(("HELLO\nWORLD", "2"), (Output("upper.txt"), Output("count.txt")));

        var second = await RunAsync(ws);
        Assert.All(Steps(second), s => Assert.True(s.Cached, $"{s.Step} was not reused"));
        var explained = await Cli.JsonAsync(ws.Dir, "pipeline", "explain", second.GetProperty("id").GetString()!);
        Assert.All(explained.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("cached").GetBoolean()));

        File.WriteAllText(raw, "hello\nthere\nworld\n"); // one source changes: exactly what is downstream of it runs
        var third = await RunAsync(ws);
        Assert.Equal([("shout", false), ("count", false), ("stamp", true)], Steps(third));
        Assert.Equal("3", Output("count.txt"));
        var why = (await Cli.JsonAsync(ws.Dir, "pipeline", "explain", third.GetProperty("id").GetString()![..8])).GetProperty("steps").EnumerateArray()
            .ToDictionary(s => s.GetProperty("step").GetString()!, s => string.Join("; ", s.GetProperty("changed").EnumerateArray().Select(c => c.GetString())));
        Assert.StartsWith("input 'data/raw.txt': ", why["shout"]);
        Assert.StartsWith("input 'build/upper.txt': ", why["count"]);
        Assert.Equal("", why["stamp"]);

        Directory.Delete(Path.Combine(ws.Dir, "build"), recursive: true); // outputs lost: a hit puts them back from the runs that made them
        Assert.All(Steps(await RunAsync(ws)), s => Assert.True(s.Cached));
        Assert.Equal(("HELLO\nTHERE\nWORLD", "3"), (Output("upper.txt"), Output("count.txt")));

        Assert.All(Steps(await RunAsync(ws, "--no-cache")), s => Assert.False(s.Cached));
        var runs = await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", "tags.pipeline = 'words'", "--limit", "100");
        Assert.Equal(3 + 2 + 3, runs.GetProperty("total").GetInt32()); // every step that ran is a tracked run, its log and outputs its artifacts
    }

    [Fact]
    public async Task AFailedStep_StopsTheRun_WithItsOutputInTheError_AndSkipsWhatNeedsIt()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), Pipelines);
        var failed = await Cli.RunAsync("pipeline", "run", "broken", "--workspace", ws.Dir, "--json");
        Assert.Equal(1, failed.Exit);
        Assert.Contains("'echo about to fail && exit 3' exited with 3: about to fail", failed.Stderr);
        Assert.Equal(["failed", "skipped"], failed.Json.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));

        var unknown = await Cli.RunAsync("pipeline", "run", "nothing", "--workspace", ws.Dir);
        Assert.Equal(5, unknown.Exit);
        Assert.Contains("it declares: words, broken, flaky, slow, killed", unknown.Stderr);

        // A step whose process is killed is tried again (a command that fails is not: 'broken' failed once).
        var retried = (await Cli.JsonAsync(ws.Dir, "pipeline", "run", "killed")).GetProperty("steps")[0];
        Assert.Equal(("succeeded", 2), (retried.GetProperty("status").GetString(), retried.GetProperty("attempts").GetInt32()));
        Assert.Equal(1, failed.Json.GetProperty("steps")[0].GetProperty("attempts").GetInt32());

        // A run that failed at a step resumes from it: what completed is reused, the rest runs.
        var stopped = await Cli.RunAsync("pipeline", "run", "flaky", "--workspace", ws.Dir, "--json");
        Assert.Equal(1, stopped.Exit);
        var first = File.ReadAllText(Path.Combine(ws.Dir, "build", "first.txt"));
        File.WriteAllText(Path.Combine(ws.Dir, "ready.flag"), "");
        var resumed = await Cli.JsonAsync(ws.Dir, "pipeline", "resume", stopped.Json.GetProperty("id").GetString()![..8]);
        Assert.Equal([("first", true), ("second", false)], Steps(resumed));
        Assert.Equal(first, File.ReadAllText(Path.Combine(ws.Dir, "build", "second.txt"))); // made from the first step's output, not a new one
        var again = await Cli.JsonAsync(ws.Dir, "pipeline", "resume", resumed.GetProperty("id").GetString()!, "--from", "first");
        Assert.Equal([("first", false), ("second", false)], Steps(again)); // --from runs that step and what follows again
    }

    [Fact]
    public async Task ACycleOrAnUnknownStep_IsALoadError_NamingTheLine()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        File.AppendAllText(yaml, Pipelines.Replace("needs: [fail]", "needs: [after]"));
        var cycle = await Cli.RunAsync("pipeline", "list", "--workspace", ws.Dir);
        Assert.Equal(2, cycle.Exit);
        Assert.Contains("the steps need each other in a cycle: after → after", cycle.Stderr);
        Assert.Matches(@"tend\.yaml:\d+: ", cycle.Stderr);

        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("needs: [after]", "needs: [fial]"));
        var unknown = await Cli.RunAsync("pipeline", "list", "--workspace", ws.Dir);
        var line = Array.FindIndex(File.ReadAllLines(yaml), l => l.Contains("needs: [fial]", StringComparison.Ordinal)) + 1;
        Assert.Contains($"tend.yaml:{line}: step 'after' needs 'fial', which is not a step of the pipeline; its steps: fail, after", unknown.Stderr);
    }

    /// <summary>
    /// A run is recorded when it starts; a second run of the same pipeline is refused while it runs; another command
    /// cancels it (its process stops the step within seconds and records who asked); a run whose process is killed is
    /// found dead and recorded as failed, and the pipeline may run again.
    /// </summary>
    [Fact]
    public async Task ARunningPipeline_RunsOnceAtATime_IsCancelledFromAnotherCommand_AndFoundDeadWhenKilled()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), Pipelines);
        async Task<System.Text.Json.JsonElement> RunningAsync()
        {
            System.Text.Json.JsonElement running = default;
            await Eventually.HoldsAsync(async () => (await Cli.JsonAsync(ws.Dir, "pipeline", "list")).GetProperty("pipelines").EnumerateArray()
                .Any(r => (running = r).GetProperty("state").GetString() == "running" && r.GetProperty("steps").GetArrayLength() == 0));
            return running;
        }
        System.Diagnostics.Process Start() => System.Diagnostics.Process.Start(TendProcess.Command("pipeline", "run", "slow", "--workspace", ws.Dir, "--json"))!;

        using (var first = Start())
        {
            var running = await RunningAsync();
            Assert.Equal(("slow", "manual", "spam"), (running.GetProperty("pipeline").GetString(), running.GetProperty("trigger").GetString(), running.GetProperty("project").GetString()));
            var twice = await Cli.RunAsync("pipeline", "run", "slow", "--workspace", ws.Dir);
            Assert.Equal(6, twice.Exit);
            Assert.Contains($"pipeline 'slow' is running already (run {running.GetProperty("id").GetString()![..8]}, manual", twice.Stderr);

            var cancel = await Cli.RunAsync("pipeline", "cancel", running.GetProperty("id").GetString()![..8], "--workspace", ws.Dir, "--as", "carol", "--reason", "wrong data");
            Assert.True(cancel.Exit == 0, cancel.ToString());
            await first.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(6, first.ExitCode);
        }
        var cancelled = (await Cli.JsonAsync(ws.Dir, "pipeline", "list")).GetProperty("pipelines")[0];
        Assert.Equal(("cancelled", "carol", "wait cancelled by carol"),
            (cancelled.GetProperty("state").GetString(), cancelled.GetProperty("cancelled_by").GetString(), cancelled.GetProperty("message").GetString()));
        var again = await Cli.RunAsync("pipeline", "cancel", cancelled.GetProperty("id").GetString()!, "--workspace", ws.Dir);
        Assert.Equal(6, again.Exit);
        Assert.Contains("is not running: it cancelled", again.Stderr);

        async Task<List<string?>> StepRunsAsync() => [.. (await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", "tags.pipeline = 'slow'")).GetProperty("runs").EnumerateArray()
            .Select(r => r.GetProperty("status").GetString())];
        using (var second = Start())
        {
            await RunningAsync();
            await Eventually.HoldsAsync(async () => (await StepRunsAsync()).Count == 2); // its step runs
            second.Kill(entireProcessTree: true); // kill -9: no code of its own records the end
            await second.WaitForExitAsync();
        }
        var dead = (await Cli.JsonAsync(ws.Dir, "pipeline", "list")).GetProperty("pipelines")[1];
        Assert.Equal("failed", dead.GetProperty("state").GetString());
        Assert.Matches(@"^its process \(.+\) ended without ending it; last heartbeat ", dead.GetProperty("message").GetString());
        Assert.Equal(["killed", "killed"], await StepRunsAsync()); // the cancelled step's run, and the one whose process died: neither is left running
        File.WriteAllText(Path.Combine(ws.Dir, "release"), "");
        var third = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "slow");
        Assert.Equal("succeeded", third.GetProperty("state").GetString());
    }

    /// <summary>A step that names a database source runs again when its rows change (seen by its checksum query), and only it.</summary>
    [Fact]
    public async Task AStepNamingADatabaseSource_RunsAgainWhenItsRowsChange()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var db = Path.Combine(ws.Dir, "orders.db");
        void Sql(string sql)
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=false");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        Sql("CREATE TABLE orders (id INTEGER, amount REAL)");
        Sql("INSERT INTO orders VALUES (1, 9.5)");
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), $"""

            data:
              sources:
                - name: orders
                  sql: SELECT * FROM orders
                  connection: sqlite://{db}
                  checksum: SELECT COUNT(*) || ':' || SUM(amount) FROM orders
            pipelines:
              - name: export
                steps:
                  - name: dump
                    sources: [orders]
                    command: mkdir -p build && echo dumped >> build/dumps.txt
                    outputs: [build/dumps.txt]
                  - name: fixed
                    command: mkdir -p build && echo fixed > build/fixed.txt
                    outputs: [build/fixed.txt]
            """);
        await Cli.JsonAsync(ws.Dir, "pipeline", "run", "export");
        Assert.All(Steps(await Cli.JsonAsync(ws.Dir, "pipeline", "run", "export")), s => Assert.True(s.Cached, $"{s.Step} was not reused"));
        Sql("INSERT INTO orders VALUES (2, 3.0)");
        var changed = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "export");
        Assert.Equal([("dump", false), ("fixed", true)], Steps(changed));
        var why = (await Cli.JsonAsync(ws.Dir, "pipeline", "explain", changed.GetProperty("id").GetString()!)).GetProperty("steps")[0].GetProperty("changed")[0].GetString();
        Assert.Equal("input 'source:orders': checksum:1:9.5 → checksum:2:12.5", why);
    }

    /// <summary>Retried: a failure that may pass (I/O, a lost server, itself or as a Tend error's cause); never a failed gate, invalid data or a failed command.</summary>
    [Fact]
    public void OnlyAFailureThatMayPass_IsRetried()
    {
        Assert.True(Tend.Pipelines.DeclaredPipeline.Retryable(new IOException("No space left on device")));
        Assert.True(Tend.Pipelines.DeclaredPipeline.Retryable(new HttpRequestException("Connection refused")));
        Assert.True(Tend.Pipelines.DeclaredPipeline.Retryable(new Npgsql.NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.True(Tend.Pipelines.DeclaredPipeline.Retryable(new Tend.Core.Errors.TendException(Tend.Core.Errors.ErrorCode.Unexpected, "source 'prices': cannot be reached", new HttpRequestException("refused"))));
        Assert.False(Tend.Pipelines.DeclaredPipeline.Retryable(new Tend.Core.Errors.TendException(Tend.Core.Errors.ErrorCode.GateFailed, "evaluation failed the gates")));
        Assert.False(Tend.Pipelines.DeclaredPipeline.Retryable(Tend.Core.Errors.TendException.InvalidData("not stored: failed validation")));
        Assert.False(Tend.Pipelines.DeclaredPipeline.Retryable(new Tend.Core.Errors.TendException(Tend.Core.Errors.ErrorCode.Unexpected, "'make' exited with 2")));
        Assert.False(Tend.Pipelines.DeclaredPipeline.Retryable(new Npgsql.NpgsqlException("relation \"runs\" does not exist")));
    }
}
