using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Storage.Sql;
using Tend.Testing;
using static Tend.Storage.Sql.Tests.Fixtures;

namespace Tend.Storage.Sql.Tests;

/// <summary>Run tracking in each dialect: logging while running, metric histories, queries, and the move of version-1 runs into the new tables.</summary>
public sealed class RunTrackingTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static Task<SqlMetadataStore> OpenAsync(string dialect) => dialect == StoreDialect.Sqlite ? SqliteAsync() : PostgresAsync();

    private static Run Running(string id, string trainer = "lightgbm", string parent = "") =>
        Run(id) with { Status = RunStatus.Running, Ended = null, Params = new Dictionary<string, string> { ["trainer"] = trainer }, Metrics = new Dictionary<string, double>(), Parent = parent };

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Log_ParamsKeepTheirValue_TagsAreReplaced_MetricsAppend(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Runs.SaveAsync(Running("r1"), null, Ct);
        await store.Runs.LogAsync("r1", new RunLog(Params: new Dictionary<string, string> { ["lr"] = "0.1" }, Tags: new Dictionary<string, string> { ["team"] = "a" },
            Metrics: [new MetricBatch("loss", [0.9, 0.5, 0.7], [0, 2, 1], [10, 30, 20])], Note: "first try"), Ct);
        await store.Runs.LogAsync("r1", new RunLog(Params: new Dictionary<string, string> { ["lr"] = "0.1" }, Tags: new Dictionary<string, string> { ["team"] = "b" },
            Metrics: [new MetricBatch("loss", [double.NaN, 0.4], [3, 3], [40, 41])], Artifacts: new Dictionary<string, string> { ["plots/a.png"] = "files/abc" }), Ct);
        var conflict = await Assert.ThrowsAsync<TendException>(() => store.Runs.LogAsync("r1", new RunLog(Params: new Dictionary<string, string> { ["lr"] = "0.2" }), Ct));
        Assert.Equal(ErrorCode.Conflict, conflict.Code);
        Assert.Contains("param 'lr' of run 'r1' is already '0.1', not '0.2'", conflict.Message);

        var run = (await store.Runs.GetAsync("r1", Ct))!;
        Assert.Equal("0.1", run.Params["lr"]);
        Assert.Equal("b", run.Tags["team"]);
        Assert.Equal(0.4, run.Metrics["loss"]); // step 3 is the latest step; of its two values the later timestamp
        Assert.Equal("first try", run.Note);
        Assert.Equal("files/abc", run.Artifacts["plots/a.png"]);
        Assert.Equal("models/x.zip", run.Artifacts["model"]);

        var history = (await store.Runs.HistoryAsync("r1", "loss", 100, Ct))!;
        Assert.Equal(5, history.Count);
        Assert.False(history.Downsampled);
        Assert.Equal([0L, 1, 2, 3, 3], history.Points.Select(p => p.Step));
        Assert.Equal([0.9, 0.7, 0.5, double.NaN, 0.4], history.Points.Select(p => p.Value));
        Assert.Null(await store.Runs.HistoryAsync("r1", "nothing", 100, Ct));

        await store.Runs.SaveAsync(run.End(RunStatus.Finished), null, Ct);
        var ended = await Assert.ThrowsAsync<TendException>(() => store.Runs.LogAsync("r1", new RunLog(Metrics: [new MetricBatch("loss", [0.1], [9], [50])]), Ct));
        Assert.Equal(ErrorCode.Conflict, ended.Code);
        await store.Runs.LogAsync("r1", new RunLog(Tags: new Dictionary<string, string> { ["reviewed"] = "yes" }, Note: "kept"), Ct);
        Assert.Equal(("yes", "kept"), ((await store.Runs.GetAsync("r1", Ct))!.Tags["reviewed"], (await store.Runs.GetAsync("r1", Ct))!.Note));
        Assert.Equal(5, (await store.Runs.HistoryAsync("r1", "loss", 100, Ct))!.Count); // saving again did not repeat the latest value
        Assert.Equal(RunStatus.Finished, (await store.Runs.GetAsync("r1", Ct))!.Status);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Log_ARetriedSequenceNumber_IsAppliedOnce(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Runs.SaveAsync(Running("r"), null, Ct);
        var log = new RunLog(Metrics: [new MetricBatch("loss", [1, 2], [0, 1], [0, 0])], Sequence: 1);
        await store.Runs.LogAsync("r", log, Ct);
        await store.Runs.LogAsync("r", log, Ct); // the answer was lost, the client sent it again
        await store.Runs.LogAsync("r", log with { Sequence = 2 }, Ct);
        Assert.Equal(4, (await store.Runs.HistoryAsync("r", "loss", 10, Ct))!.Count);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task History_LongSeries_IsDownsampledOnTheServer_KeepingExtremes(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Runs.SaveAsync(Running("long"), null, Ct);
        const int n = 10_000;
        var values = Enumerable.Range(0, n).Select(i => i == 5_000 ? 100.0 : Math.Sin(i / 100.0)).ToArray();
        await store.Runs.LogAsync("long", new RunLog(Metrics: [new MetricBatch("loss", values, Enumerable.Range(0, n).Select(i => (long)i).ToArray(), new long[n])]), Ct);
        var history = (await store.Runs.HistoryAsync("long", "loss", 500, Ct))!;
        Assert.True(history.Downsampled);
        Assert.Equal(n, history.Count);
        Assert.Equal(500, history.Points.Count); // 10,000 steps in buckets of 20
        Assert.Equal(0, history.Points[0].Step);
        Assert.Equal(100.0, history.Points.Max(p => p.Max)); // the spike survives
        var bucket = history.Points[10];
        Assert.Equal(200, bucket.Step);
        Assert.Equal(Enumerable.Range(200, 20).Average(i => Math.Sin(i / 100.0)), bucket.Value, 12);
        Assert.Equal(Math.Sin(200 / 100.0), bucket.Max, 12); // sin falls over [2, 2.19]
        Assert.Equal(Math.Sin(219 / 100.0), bucket.Min, 12);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Query_FiltersByMetricsParamsTagsAndAttributes_OrdersAndPages(string dialect)
    {
        var store = await OpenAsync(dialect);
        var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var runs = Enumerable.Range(0, 12).Select(i => Running($"run{i:00}", i % 3 == 0 ? "fasttree" : "lightgbm", parent: i >= 10 ? "run00" : "") with
        { Started = start.AddMinutes(i), Metrics = new Dictionary<string, double> { ["auc"] = 0.8 + i / 100.0 } }).ToList();
        await store.Runs.SaveManyAsync(runs, Ct);
        foreach (var (run, i) in runs.Select((r, i) => (r, i)))
        {
            if (i % 2 == 0)
                await store.Runs.LogAsync(run.Id, new RunLog(Tags: new Dictionary<string, string> { ["team"] = "blue" }), Ct);
            if (i == 11)
                await store.Runs.SaveAsync((await store.Runs.GetAsync(run.Id, Ct))!.End(RunStatus.Failed, "boom"), null, Ct);
        }
        async Task<string[]> Ids(string? where, string? order = null, int offset = 0, int limit = 50) =>
            (await store.Runs.QueryAsync(RunQuery.Parse("p", where, order, offset, limit), Ct)).Runs.Select(r => r.Id).ToArray();

        Assert.Equal(["run11", "run10", "run08", "run07", "run05"], await Ids("metrics.auc > 0.845 and params.trainer = 'lightgbm'"));
        Assert.Equal(["run05", "run07", "run08", "run10", "run11"], await Ids("metrics.auc > 0.845 and params.trainer = 'lightgbm'", "metrics.auc"));
        Assert.Equal(["run10", "run08", "run04", "run02"], await Ids("tags.team = 'blue' and params.trainer != 'fasttree'"));
        Assert.Equal(["run11"], await Ids("status = 'failed'"));
        Assert.Equal(["run11", "run10"], await Ids("parent = 'run00'"));
        Assert.Equal(["run01", "run00"], await Ids("started < '2026-01-01T00:03' and parent = ''", "started desc", offset: 1, limit: 2));
        Assert.Equal(["run09", "run06", "run03", "run00"], await Ids("params.trainer like 'fast%'"));
        var page = await store.Runs.QueryAsync(RunQuery.Parse("p", null, "tags.team desc, metrics.auc desc", 0, 3), Ct);
        Assert.Equal(12, page.Total);
        Assert.Equal(["run10", "run08", "run06"], page.Runs.Select(r => r.Id));
        Assert.Equal("blue", page.Runs[0].Tags["team"]);
        Assert.Empty((await store.Runs.QueryAsync(RunQuery.Parse("other", null, null), Ct)).Runs);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Delete_RemovesTheHistoryToo_AndItsArtifactsAreNoLongerReferenced(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Runs.SaveAsync(Running("kept") with { Artifacts = new Dictionary<string, string> { ["model"] = "models/shared.zip" } }, null, Ct);
        await store.Runs.SaveAsync(Running("gone") with { Artifacts = new Dictionary<string, string> { ["model"] = "models/shared.zip", ["plot"] = "files/own" } }, null, Ct);
        Assert.Equal(["files/own", "models/shared.zip"], (await store.ReferencedArtifactsAsync(["models/shared.zip", "files/own", "files/none"], Ct)).Order());
        await store.Runs.LogAsync("gone", new RunLog(Metrics: [new MetricBatch("loss", [1, 2], [0, 1], [0, 0])]), Ct);
        Assert.True(await store.Runs.DeleteAsync("gone", Audit("run.deleted"), Ct));
        Assert.Equal(["models/shared.zip"], await store.ReferencedArtifactsAsync(["models/shared.zip", "files/own"], Ct));
        await store.Runs.SaveAsync(Running("gone"), null, Ct);
        Assert.Null(await store.Runs.HistoryAsync("gone", "loss", 10, Ct));
        Assert.Empty((await store.Runs.GetAsync("gone", Ct))!.Metrics);
    }

    /// <summary>One query over every owner of a stored file (issue 21, item 3: deleting a run removed a dataset's file a run pointed at).</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task ReferencedArtifacts_AreThoseOfRunsModelVersionsDatasetVersionsAndEvaluations(string dialect)
    {
        var store = await OpenAsync(dialect);
        var dataset = Fixtures.Dataset("d", "abcdef01");
        await store.Datasets.AddAsync(dataset, Audit("dataset.add"), Ct);
        await store.Runs.SaveAsync(Running("r") with { Artifacts = new Dictionary<string, string> { ["plot"] = "files/plot" } }, null, Ct);
        await store.Models.RegisterAsync(Fixtures.Model("r") with { Artifact = "models/m.zip" }, Audit("model.register"), Ct);
        await store.Evaluations.AddAsync(new EvaluationRecord("e", "r", "p@1", "d", DateTimeOffset.UtcNow, "tester", true, new Dictionary<string, double>(), [], null,
            "evaluations/e.json"), Audit("evaluation.add"), Ct);
        string[] owned = ["files/plot", "models/m.zip", dataset.Artifact, dataset.ProfileArtifact, "evaluations/e.json"];

        Assert.Equal(owned.Order(), (await store.ReferencedArtifactsAsync([.. owned, "files/none", "models/x.zip"], Ct)).Order());
        Assert.Equal(owned.Order(), (await store.ReferencedArtifactsAsync(null, Ct)).Order());
        Assert.Empty(await store.ReferencedArtifactsAsync([], Ct));
        Assert.Empty(await store.IntegrityProblemsAsync(Ct));
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Migration_MovesVersionOneRunsIntoTheNewTables(string dialect)
    {
        var uri = dialect == StoreDialect.Sqlite ? SqliteUri() : await PostgresServer.FreshSchemaAsync();
        // A database as version 1 left it: the run's params and metrics (one of them NaN) inside its JSON body.
        var old = Run("legacy") with { Metrics = new Dictionary<string, double> { ["auc"] = 0.93, ["f1"] = double.NaN } };
        await using (var dialectV1 = SqlMetadataStore.CreateDialect(uri))
        {
            var db = new SqlDatabase(dialectV1);
            await db.WriteAsync(async (c, t) =>
            {
                await SqlDatabase.ExecuteAsync(c, t, "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied TEXT NOT NULL)", Ct);
                await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO schema_migrations (version, applied) VALUES (1, 'then')", Ct);
                await SqlDatabase.ExecuteAsync(c, t, "CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, body TEXT NOT NULL)", Ct);
                // The other version-1 tables later migrations change.
                await SqlDatabase.ExecuteAsync(c, t, "CREATE TABLE model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version BIGINT NOT NULL, moved TEXT NOT NULL, PRIMARY KEY (name, alias))", Ct);
                await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO model_aliases (name, alias, version, moved) VALUES ('p', 'champion', 3, '2026-01-02T00:00:00.0000000Z')", Ct);
                await SqlDatabase.ExecuteAsync(c, t, "CREATE TABLE pipeline_runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, body TEXT NOT NULL)", Ct);
                await SqlDatabase.ExecuteAsync(c, t, "CREATE TABLE audit_events (sequence BIGINT PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT NOT NULL, previous_hash TEXT NOT NULL, hash TEXT NOT NULL)", Ct);
                await SqlDatabase.ExecuteAsync(c, t, "INSERT INTO runs (id, started, body) VALUES ('legacy', '2026-01-01T00:00:00.0000000Z', @body)", Ct,
                    ("@body", TendJson.Serialize(old)));
            }, Ct);
        }
        await using var store = await SqlMetadataStore.OpenAsync(uri, Ct);
        var run = (await store.Runs.QueryAsync(RunQuery.Parse("p", "metrics.auc > 0.9 and params.seed = '42' and status = 'finished'", null), Ct)).Runs.Single();
        Assert.Equal(0.93, run.Metrics["auc"]);
        Assert.True(double.IsNaN(run.Metrics["f1"]));
        Assert.Equal("42", run.Params["seed"]);
        // Migration 3 keeps an alias's position from before alias history as its first move.
        Assert.Equal((null, 3), (await store.Models.HistoryAsync("p", "champion", Ct)).Select(m => (m.From, m.To)).Single());
        Assert.Equal("models/x.zip", run.Artifacts["model"]); // from run_artifacts, where what is referenced is found
        Assert.Equal(1, (await store.Runs.HistoryAsync("legacy", "auc", 10, Ct))!.Count);
    }
}
