using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Testing;
using static Tend.Storage.Sql.Tests.Fixtures;

namespace Tend.Storage.Sql.Tests;

/// <summary>
/// What every metadata store must do, run against each dialect: SQLite always; PostgreSQL when TEND_TEST_POSTGRES
/// names a server (the test command starts one and sets it); reported as skipped without one, and failed under CI=true.
/// </summary>
public sealed class MetadataStoreConformanceTests
{
    private static Task<SqlMetadataStore> OpenAsync(string dialect) => dialect == StoreDialect.Sqlite ? Fixtures.SqliteAsync() : Fixtures.PostgresAsync();

    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Runs_Delete_RemovesTheRunAndAuditsIt_Once(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Runs.SaveAsync(Run("aaaa1111"), null, Ct);
        await store.Runs.SaveAsync(Run("bbbb2222"), null, Ct);
        Assert.True(await store.Runs.DeleteAsync("aaaa1111", Audit("run.deleted"), Ct));
        Assert.False(await store.Runs.DeleteAsync("aaaa1111", Audit("run.deleted"), Ct));
        Assert.Null(await store.Runs.GetAsync("aaaa", Ct));
        Assert.Equal(["bbbb2222"], (await store.Runs.QueryAsync(RunQuery.Parse(null, null, null), Ct)).Runs.Select(r => r.Id));
        Assert.Single(await store.Audit.ListAsync(Ct), e => e.Action == "run.deleted");
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Datasets_AddTwice_SecondIsNotNew_AndPrefixFindsIt(string dialect)
    {
        var store = await OpenAsync(dialect);
        Assert.True(await store.Datasets.AddAsync(Dataset("d", "abcdef01"), Audit("dataset.add"), Ct));
        Assert.False(await store.Datasets.AddAsync(Dataset("d", "abcdef01"), Audit("dataset.add"), Ct));
        Assert.True(await store.Datasets.AddAsync(Dataset("d", "abff0000"), Audit("dataset.add"), Ct));
        Assert.StartsWith("abcdef01", (await store.Datasets.GetAsync("d", "abcd", Ct))!.Version);
        Assert.StartsWith("abff0000", (await store.Datasets.GetAsync("d", null, Ct))!.Version);
        Assert.Null(await store.Datasets.GetAsync("other", null, Ct));
        var ambiguous = await Assert.ThrowsAsync<TendException>(() => store.Datasets.GetAsync("d", "ab", Ct));
        Assert.Equal(ErrorCode.Conflict, ambiguous.Code);
        Assert.Equal(2, (await store.Audit.ListAsync(Ct)).Count);
        Assert.Equal(ColumnType.Numeric, (await store.Datasets.ListAsync(Ct))[0].Schema.Columns[0].Type);
    }

    /// <summary>A monitor run that read an alert before it was acknowledged, and counts a repeat on it after, does not reopen it (the flake of AlertingTests).</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task AnAcknowledgement_IsNotUndone_ByASaveFromAStaleRead(string dialect)
    {
        var store = await OpenAsync(dialect);
        var fired = new Alert("a1", "drift", Tend.Core.Spec.AlertSeverity.Critical, DateTimeOffset.UtcNow, "r1", "p", "dataset_drift", "yes", "drift");
        await store.Alerts.SaveAsync(fired, null, Ct);
        var staleRead = (await store.Alerts.GetAsync("a1", Ct))!;
        await store.Alerts.SaveAsync(staleRead with { Acknowledged = DateTimeOffset.UtcNow, AcknowledgedBy = "ops" }, null, Ct);
        await store.Alerts.SaveAsync(staleRead with { Occurrences = 2 }, null, Ct);

        var stored = (await store.Alerts.GetAsync("a1", Ct))!;
        Assert.Equal(("ops", 2), (stored.AcknowledgedBy, stored.Occurrences));
        Assert.False(stored.Open);
    }

    /// <summary>An abbreviation is text: '%' and '_' are not wildcards, and one longer than any id names nothing (it once made SQLite fail).</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Prefixes_AreTextNotPatterns_AndTooLongOnesNameNothing(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Runs.SaveAsync(Run("0123456789abcdef"), null, Ct);
        Assert.NotNull(await store.Runs.GetAsync("0123", Ct));
        Assert.Null(await store.Runs.GetAsync("%", Ct));
        Assert.Null(await store.Runs.GetAsync("0_23", Ct));
        Assert.Null(await store.Runs.GetAsync(new string('0', 50_000), Ct));
        Assert.Null(await store.Evaluations.GetAsync("%", Ct));
        Assert.Null(await store.Approvals.GetAsync("_", Ct));
        Assert.Null(await store.Datasets.GetAsync("d", "%", Ct));
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Runs_SaveAgain_Updates(string dialect)
    {
        var store = await OpenAsync(dialect);
        var run = Run("0123456789abcdef") with { Status = RunStatus.Running };
        await store.Runs.SaveAsync(run, null, Ct);
        await store.Runs.SaveAsync(run with { Status = RunStatus.Finished }, Audit("run.finished"), Ct);
        var read = await store.Runs.GetAsync("01234", Ct);
        Assert.Equal(RunStatus.Finished, read!.Status);
        Assert.Equal(0.9, read.Metrics["auc"]);
        Assert.Single((await store.Runs.QueryAsync(RunQuery.Parse(null, null, null), Ct)).Runs);
        Assert.Equal(["run.finished"], (await store.Audit.ListAsync(Ct)).Select(a => a.Action));
    }

    /// <summary>
    /// Twenty moves at once, each told a stale holder (none): the history still chains, every move's "from" being the
    /// move before's "to", and so do the audit events, because the store reads the holder inside its write transaction.
    /// </summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task ConcurrentAliasMoves_RecordAnHonestHistory(string dialect)
    {
        var store = await OpenAsync(dialect);
        for (var i = 0; i < 20; i++)
            await store.Models.RegisterAsync(Model($"r{i}"), Audit("model.register"), Ct);
        await Task.WhenAll(Enumerable.Range(1, 20).Select(version => Task.Run(() =>
            store.Models.MoveAliasAsync(new AliasMove(0, "p", "champion", null, version, "alice", "race", AliasMove.Promote, DateTimeOffset.UtcNow),
                m => new AuditEntry("alice", "model.alias", "p@champion", $"from {m.From?.ToString() ?? "none"} to {m.To}"), Ct))));

        var history = await store.Models.HistoryAsync("p", "champion", Ct);
        Assert.Equal(20, history.Count);
        Assert.Null(history[0].From);
        for (var i = 1; i < history.Count; i++)
            Assert.Equal(history[i - 1].To, history[i].From);
        Assert.Equal(history[^1].To, (await store.Models.GetAliasAsync("p", "champion", Ct))!.Version);
        var reasons = (await store.Audit.ListAsync(Ct, subject: "p@champion")).Select(e => e.Reason);
        Assert.Equal(history.Select(m => $"from {m.From?.ToString() ?? "none"} to {m.To}"), reasons);
    }

    /// <summary>Twenty approvers deciding one request at once: exactly one decision is recorded, and at most one alias move (issue 21, item 6).</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task ConcurrentDecisions_OnOneRequest_RecordExactlyOne(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Models.RegisterAsync(Model("r1"), Audit("model.register"), Ct);
        var request = new ApprovalRequest("req1", "p", 1, "champion", "alice", "ship it", DateTimeOffset.UtcNow);
        await store.Approvals.AddAsync(request, Audit("approval.request"), Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var approve = i % 2 == 0;
            var decided = request with { Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected, Decider = $"approver{i}", Decision = "race", Decided = DateTimeOffset.UtcNow };
            var move = approve ? new AliasMove(0, "p", "champion", null, 1, $"approver{i}", "race", AliasMove.Promote, DateTimeOffset.UtcNow) : null;
            try
            {
                await store.Approvals.DecideAsync(decided, move, new AuditEntry($"approver{i}", approve ? "approval.approved" : "approval.rejected", "req1", "race"), Ct);
                return (i, Error: (ErrorCode?)null);
            }
            catch (TendException e)
            {
                return (i, Error: e.Code);
            }
        })));

        var winner = Assert.Single(outcomes, o => o.Error is null);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal(ErrorCode.Conflict, o.Error));
        var stored = (await store.Approvals.GetAsync("req1", Ct))!;
        Assert.Equal($"approver{winner.i}", stored.Decider);
        Assert.Equal(winner.i % 2 == 0 ? 1 : 0, (await store.Models.HistoryAsync("p", "champion", Ct)).Count);
        Assert.Single(await store.Audit.ListAsync(Ct, subject: "req1"), e => e.Action.StartsWith("approval.", StringComparison.Ordinal) && e.Actor.StartsWith("approver", StringComparison.Ordinal));
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Models_RegisterNumbersVersions_AliasesMoveWithAudit(string dialect)
    {
        var store = await OpenAsync(dialect);
        var v1 = await store.Models.RegisterAsync(Model("r1"), Audit("model.register"), Ct);
        var v2 = await store.Models.RegisterAsync(Model("r2"), Audit("model.register"), Ct);
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        await store.Models.MoveAliasAsync(new AliasMove(0, "p", "champion", null, 1, "alice", "first", AliasMove.Promote, DateTimeOffset.UtcNow), _ => Audit("model.alias"), Ct);
        await store.Models.MoveAliasAsync(new AliasMove(0, "p", "champion", 1, 2, "bob", "better", AliasMove.Promote, DateTimeOffset.UtcNow), _ => Audit("model.alias"), Ct);
        Assert.Equal(2, (await store.Models.GetAliasAsync("p", "champion", Ct))!.Version);
        Assert.Equal(["champion"], (await store.Models.GetAsync("p", 2, Ct))!.Aliases);
        Assert.Empty((await store.Models.GetAsync("p", 1, Ct))!.Aliases);
        var audit = await store.Audit.ListAsync(Ct);
        Assert.Equal(["model.register", "model.register", "model.alias", "model.alias"], audit.Select(a => a.Action));
        Assert.Equal("p@1", audit[0].Subject);
        var history = await store.Models.HistoryAsync("p", "champion", Ct);
        Assert.Equal([(null, 1, "alice"), (1, 2, "bob")], history.Select(m => (m.From, m.To, m.Actor)));
        Assert.Equal(history[0].Sequence + 1, history[1].Sequence);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Deployments_AreSavedReplacedAndAudited(string dialect)
    {
        var store = await OpenAsync(dialect);
        Assert.Null(await store.Deployments.GetAsync("m", Ct));
        var first = new Deployment("m", 2, 12.5, null, DateTimeOffset.UtcNow, "alice");
        await store.Deployments.SaveAsync(first, Audit("deployment.set"), Ct);
        await store.Deployments.SaveAsync(first with { Canary = null, CanaryPercent = 0, Shadow = 3 }, Audit("deployment.set"), Ct);
        var saved = await store.Deployments.GetAsync("m", Ct);
        Assert.Equal((null, 0.0, 3, "alice"), (saved!.Canary, saved.CanaryPercent, saved.Shadow, saved.Actor));
        Assert.Null(await store.Deployments.GetAsync("other", Ct));
        Assert.Equal(2, (await store.Audit.ListAsync(Ct)).Count(e => e.Action == "deployment.set"));
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Models_ConcurrentRegistrations_GetDistinctVersions(string dialect)
    {
        var store = await OpenAsync(dialect);
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.Models.RegisterAsync(Model($"r{i}"), Audit("model.register"), Ct)));
        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
        AssertChainIntact(await store.Audit.ListAsync(Ct));
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Audit_ChainLinksEveryEvent(string dialect)
    {
        var store = await OpenAsync(dialect);
        for (var i = 0; i < 5; i++)
            await store.Audit.AppendAsync(Audit($"a{i}"), Ct);
        var events = await store.Audit.ListAsync(Ct);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), events.Select(e => e.Sequence));
        AssertChainIntact(events);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Predictions_FeedbackJoins_UnknownRequestIsRefused_WindowFilters(string dialect)
    {
        var store = await OpenAsync(dialect);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        await store.Predictions.AddAsync([Prediction("a", t0), Prediction("b", t0.AddMinutes(5))], Ct);
        Assert.Empty(await store.Predictions.AddFeedbackAsync([new("a", "spam")], Ct));
        Assert.Equal(["zzz"], await store.Predictions.AddFeedbackAsync([new("a", "nonspam"), new("zzz", "spam"), new("a", "nonspam")], Ct));
        var all = await store.Predictions.ListAsync("p", null, null, Ct);
        Assert.Equal(["a", "b"], all.Select(p => p.RequestId));
        Assert.Equal("nonspam", all[0].Feedback);
        Assert.Null(all[1].Feedback);
        Assert.Null(all[0].Features["y"]);
        Assert.Equal(["b"], (await store.Predictions.ListAsync("p", t0.AddMinutes(1), null, Ct)).Select(p => p.RequestId));
        var newestFirst = await store.Predictions.StreamAsync("p", null, null, newestFirst: true, Ct).ToListAsync(Ct); // the stream a monitor's last:N reads
        Assert.Equal([("b", null), ("a", "nonspam")], newestFirst.Select(p => (p.RequestId, p.Feedback)));
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Predictions_StoreEachListOfFeatureNamesOnce_AndReadRecordsFromBeforeFeatureSets(string dialect)
    {
        var store = await OpenAsync(dialect);
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        var request = """{"x": 2.50e1, "y": null}"""u8.ToArray();
        var sent = new JsonTokenRow(new FeatureSet(["x", "y"]), request, new[] { 6, 6, 19, 4 });
        var other = FeatureRow.Of(new Dictionary<string, string?> { ["city"] = "Bern", ["x"] = "1" });
        await store.Predictions.AddAsync([Prediction("a", t0), Prediction("b", t0.AddSeconds(1)) with { Features = sent }, Prediction("c", t0.AddSeconds(2)) with { Features = other }], Ct);
        await store.Predictions.AddAsync([Prediction("d", t0.AddSeconds(3)), PredictionRecord.Rejected("e", t0.AddSeconds(4), "p", 1, "primary", "field 'x' is missing")], Ct);
        await store.Database.WriteAsync((c, t) => SqlDatabase.ExecuteAsync(c, t, "INSERT INTO predictions (request_id, model, time, body) VALUES ('f', 'p', @time, @body)", Ct,
            ("@time", SqlTime.Format(t0.AddSeconds(5))),
            ("@body", """{"request_id":"f","time":"then","model":"p","version":1,"route":"primary","features":{"x":3,"y":"a"},"prediction":"ham","score":0.1,"latency_ms":2,"feedback":null,"error":null}""")), Ct);

        var all = await store.Predictions.ListAsync("p", null, null, Ct);

        Assert.Equal(["a", "b", "c", "d", "e", "f"], all.Select(p => p.RequestId));
        Assert.Equal(Prediction("a", t0).Features, all[0].Features);
        Assert.Equal(Prediction("a", t0) with { Features = all[0].Features }, all[0]);
        Assert.Equal(new Dictionary<string, string?> { ["x"] = "2.50e1", ["y"] = null }, all[1].Features);
        Assert.Equal(other, all[2].Features);
        Assert.Empty(all[4].Features);
        Assert.Equal("field 'x' is missing", all[4].Error);
        Assert.Equal(new Dictionary<string, string?> { ["x"] = "3", ["y"] = "a" }, all[5].Features);
        Assert.Equal(("ham", 0.1, t0.AddSeconds(5)), (all[5].Prediction, all[5].Score, all[5].Time));
        var sets = await store.Database.QueryAsync("SELECT names FROM feature_sets ORDER BY names", r => r.GetString(0), Ct);
        Assert.Equal(["[\"city\",\"x\"]", "[\"x\",\"y\"]", "[]"], sets);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task AStoreANewerTendWrote_IsRefused_NamingBothSchemaVersions(string dialect)
    {
        var uri = dialect == StoreDialect.Sqlite ? SqliteUri() : await PostgresServer.FreshSchemaAsync();
        await using (var store = await SqlMetadataStore.OpenAsync(uri, Ct))
            await store.Database.WriteAsync((c, t) => SqlDatabase.ExecuteAsync(c, t, "INSERT INTO schema_migrations (version, applied) VALUES (99, 'later')", Ct), Ct);

        var refused = await Assert.ThrowsAsync<TendException>(() => SqlMetadataStore.OpenAsync(uri, Ct));

        Assert.Equal(ErrorCode.Conflict, refused.Code);
        Assert.Matches("^the metadata store has schema version 99, and this tend knows versions up to [0-9]+: a newer tend wrote it, so use that one$", refused.Message);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Projects_KeepEachRevisionOnce_AndTheCurrentOne(string dialect)
    {
        var store = await OpenAsync(dialect);
        ProjectRevision Revision(string project, string text, int minute) =>
            new(project, ProjectRevision.RevisionOf(text), text, DateTimeOffset.UnixEpoch.AddMinutes(minute), "ana", $"/work/{project}");
        await store.Projects.ReviseAsync(Revision("spam", "name: spam\n", 1), Audit("project.register"), Ct);
        await store.Projects.ReviseAsync(Revision("spam", "name: spam\ngates: []\n", 2), Audit("project.revise"), Ct);
        await store.Projects.ReviseAsync(Revision("spam", "name: spam\n", 3), Audit("project.revise"), Ct); // back to the first text
        await store.Projects.ReviseAsync(Revision("churn", "name: churn\n", 4), Audit("project.register"), Ct);

        Assert.Equal(["churn", "spam"], (await store.Projects.ListAsync(Ct)).Select(p => p.Project));
        var spam = (await store.Projects.GetAsync("spam", Ct))!;
        Assert.Equal((ProjectRevision.RevisionOf("name: spam\n"), "name: spam\n", DateTimeOffset.UnixEpoch.AddMinutes(1)), (spam.Revision, spam.Text, spam.Created));
        Assert.Equal(["name: spam\n", "name: spam\ngates: []\n"], (await store.Projects.HistoryAsync("spam", Ct)).Select(r => r.Text));
        Assert.Null(await store.Projects.GetAsync("other", Ct));
        Assert.Equal(4, (await store.Audit.ListAsync(Ct)).Count);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Reports_AndPipelineRuns_RoundTrip(string dialect)
    {
        var store = await OpenAsync(dialect);
        var report = new MonitorReport("m1", DateTimeOffset.UtcNow, "p", "p@abc", 10, "predictions", 5, null, null, true, "benjamini_hochberg", 0.5,
            [new FeatureDrift("x", ColumnType.Numeric, "ks", 0.4, 0.01, 0.05, true, new Dictionary<string, double> { ["psi"] = 0.3 }, 0.02)], new LivePerformance(3, "accuracy", 2 / 3.0));
        await store.Monitors.AddAsync(report, Ct);
        var read = (await store.Monitors.ListAsync(Ct)).Single();
        Assert.Equal(0.3, read.Features[0].Details["psi"]);
        Assert.Equal((0.4, 0.01, 0.02), (read.Features[0].Value, read.Features[0].PValue, read.Features[0].AdjustedPValue));
        Assert.Equal("benjamini_hochberg", read.Rule);
        Assert.Equal(2 / 3.0, read.Performance!.Value);
        await store.Pipelines.AddAsync(new PipelineRun("p1", "manual", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, false, "gate failed",
            [new PipelineStep("gate", StepStatus.Failed, 0.1, "auc low")], new Dictionary<string, string> { ["run_id"] = "r" }), Audit("pipeline.run"), null, Ct);
        Assert.Equal(StepStatus.Failed, (await store.Pipelines.ListAsync(Ct)).Single().Steps[0].Status);
    }

    /// <summary>
    /// A running pipeline run: one per pipeline of a project at a time, beaten by its process, asked to cancel once, ended
    /// once (a second end, by a sweeper that took it for dead, writes nothing); with a limit, only while fewer runs of
    /// the pipeline started in its window.
    /// </summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task PipelineRuns_OneRunsAtATime_BeatCancelEnd(string dialect)
    {
        var store = await OpenAsync(dialect);
        var now = DateTimeOffset.UtcNow;
        PipelineRun Running(string id, string project = "p") =>
            new(id, "schedule", now, now, false, "running", [], new Dictionary<string, string>(), "features", project, PipelineState.Running, "host-1-0", now);
        Assert.True(await store.Pipelines.AddAsync(Running("a"), Audit("pipeline.start"), null, Ct));
        Assert.False(await store.Pipelines.AddAsync(Running("b"), Audit("pipeline.start"), null, Ct)); // the same pipeline runs already
        Assert.True(await store.Pipelines.AddAsync(Running("c", project: "q"), Audit("pipeline.start"), null, Ct)); // another project's may
        Assert.Null(await store.Pipelines.BeatAsync("a", "host-1-0", now.AddSeconds(2), Ct));
        await store.Pipelines.ProgressAsync(Running("a") with { Steps = [new PipelineStep("prepare", StepStatus.Succeeded, 1, "ok")] }, Ct);
        var a = (await store.Pipelines.ListAsync(Ct)).Single(r => r.Id == "a");
        Assert.Equal((PipelineState.Running, "prepare", now.AddSeconds(2)), (a.Status, a.Steps.Single().Name, a.Heartbeat!.Value));

        Assert.True(await store.Pipelines.RequestCancelAsync("a", Audit("pipeline.cancel"), Ct));
        Assert.False(await store.Pipelines.RequestCancelAsync("a", Audit("pipeline.cancel"), Ct)); // asked once
        Assert.Equal("tester", await store.Pipelines.BeatAsync("a", "host-1-0", now.AddSeconds(4), Ct));
        var ended = a with { State = PipelineState.Cancelled, Message = "cancelled by tester", Ended = now.AddSeconds(5) };
        Assert.True(await store.Pipelines.EndAsync(ended, Audit("pipeline.run"), Ct));
        Assert.False(await store.Pipelines.EndAsync(ended with { State = PipelineState.Failed }, Audit("pipeline.run"), Ct));
        Assert.False(await store.Pipelines.RequestCancelAsync("a", Audit("pipeline.cancel"), Ct)); // not running
        a = (await store.Pipelines.ListAsync(Ct)).Single(r => r.Id == "a");
        Assert.Equal((PipelineState.Cancelled, null, null), (a.Status, a.Owner, a.Heartbeat));
        Assert.False(await store.Pipelines.AddAsync(Running("b"), Audit("pipeline.start"), new StartLimit(1, now.AddSeconds(-1)), Ct)); // a started within the window
        Assert.True(await store.Pipelines.AddAsync(Running("b"), Audit("pipeline.start"), new StartLimit(2, now.AddSeconds(-1)), Ct)); // free again, within the limit
        Assert.False(await store.Pipelines.AddAsync(Running("d"), Audit("pipeline.start"), new StartLimit(5, now.AddSeconds(-1)), Ct)); // b runs
        var b = (await store.Pipelines.ListAsync(Ct)).Single(r => r.Id == "b");
        Assert.True(await store.Pipelines.EndAsync(b with { State = PipelineState.Succeeded, Ended = now }, Audit("pipeline.run"), Ct));
        Assert.False(await store.Pipelines.AddAsync(Running("d"), Audit("pipeline.start"), new StartLimit(2, now.AddSeconds(-1)), Ct)); // a and b started within it
        Assert.True(await store.Pipelines.AddAsync(Running("d"), Audit("pipeline.start"), new StartLimit(2, now), Ct)); // neither started after its time
    }

    /// <summary>A watched source's watermark: set once from none, then moved only from what it is, so of two servers that saw the same change one moves it.</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Watermarks_MoveOnlyFromWhatTheyAre(string dialect)
    {
        var store = (await OpenAsync(dialect)).Pipelines;
        var now = DateTimeOffset.UtcNow;
        Assert.Null(await store.GetWatermarkAsync("p/ingest/raw", Ct));
        Assert.True(await store.MoveWatermarkAsync("p/ingest/raw", null, "a", now, Ct));
        Assert.False(await store.MoveWatermarkAsync("p/ingest/raw", null, "b", now, Ct)); // another's first look came first
        Assert.True(await store.MoveWatermarkAsync("p/ingest/raw", "a", "b", now, Ct));
        Assert.False(await store.MoveWatermarkAsync("p/ingest/raw", "a", "b", now, Ct)); // the second server to see a → b
        Assert.True(await store.MoveWatermarkAsync("p/ingest/raw", "b", "a", now, Ct)); // back to an earlier observation is a change too
        Assert.Equal("a", await store.GetWatermarkAsync("p/ingest/raw", Ct));
        Assert.Null(await store.GetWatermarkAsync("q/ingest/raw", Ct));
    }

    /// <summary>A release: one active per model, saved only at the revision it was read at, superseded in the transaction that starts the next.</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Releases_OneActivePerModel_SavedAtTheirRevision(string dialect)
    {
        var store = await OpenAsync(dialect);
        var now = DateTimeOffset.UtcNow;
        Release Canary(string id, int challenger) => new(id, "m", challenger, 1, ReleaseState.Canary, 0, now, now, now, "tester", false, false, null,
            [new ReleaseStep(5, TimeSpan.FromMinutes(30), 200, 0), new ReleaseStep(100, TimeSpan.FromMinutes(30), 200, 0)], []);
        Assert.True(await store.Releases.StartAsync(Canary("a", 2), null, [Audit("release.start")], Ct));
        Assert.False(await store.Releases.StartAsync(Canary("b", 3), null, [Audit("release.start")], Ct)); // m has an active release
        Assert.True(await store.Releases.StartAsync(Canary("c", 2) with { Model = "other" }, null, [Audit("release.start")], Ct));

        var a = (await store.Releases.GetAsync("a", Ct))!;
        Assert.True(await store.Releases.SaveAsync(a with { Step = 1 }, Audit("release.advance"), Ct));
        Assert.False(await store.Releases.SaveAsync(a with { State = ReleaseState.RolledBack }, Audit("release.rollback"), Ct)); // read before the advance
        a = (await store.Releases.GetAsync("a", Ct))!;
        Assert.Equal((1, 1, ReleaseState.Canary), (a.Revision, a.Step, a.State));

        // A newer challenger supersedes the active release in the same transaction that starts its own.
        Assert.True(await store.Releases.StartAsync(Canary("d", 3), a with { State = ReleaseState.Superseded }, [Audit("release.supersede"), Audit("release.start")], Ct));
        Assert.Equal(["d", "a"], (await store.Releases.ListAsync("m", Ct)).Select(r => r.Id));
        Assert.Equal(ReleaseState.Superseded, (await store.Releases.GetAsync("a", Ct))!.State);
        Assert.Equal(3, (await store.Releases.ListAsync(null, Ct)).Count);
        Assert.Equal(3, (await store.Audit.ListAsync(Ct)).Count(e => e.Action == "release.start")); // not b's
    }

    /// <summary>A job run twice (its first attempt taken for dead) keeps one result: only the latest attempt may write or end it, and an ended job begins no more.</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Jobs_OnlyTheLatestAttempt_WritesTheResult(string dialect)
    {
        var store = await OpenAsync(dialect);
        var now = DateTimeOffset.UtcNow;
        var job = Job.Queue("train", "p", "{}", "tester", now);
        await store.Jobs.AddAsync(job, Ct);
        var first = (await store.Jobs.BeginAsync(job.Id, "worker-a", now, Ct))!;
        var second = (await store.Jobs.BeginAsync(job.Id, "worker-b", now, Ct))!; // recovered on another worker
        Assert.Equal((1, 2), (first.Fence, second.Fence));
        Assert.False(await store.Jobs.IsCurrentAsync(job.Id, first.Fence, Ct));
        Assert.True(await store.Jobs.IsCurrentAsync(job.Id, second.Fence, Ct));
        Assert.False(await store.Jobs.EndAsync(job.Id, first.Fence, "\"run-a\"", null, now, Ct));
        Assert.True(await store.Jobs.EndAsync(job.Id, second.Fence, "\"run-b\"", null, now, Ct));
        Assert.False(await store.Jobs.EndAsync(job.Id, second.Fence, "\"run-c\"", null, now, Ct)); // ended once
        Assert.Null(await store.Jobs.BeginAsync(job.Id, "worker-c", now, Ct)); // a third copy finds it ended
        var ended = (await store.Jobs.GetAsync(job.Id, Ct))!;
        Assert.Equal((JobState.Succeeded, "\"run-b\"", "worker-b", 2L), (ended.State, ended.Result, ended.Owner, ended.Fence));
        Assert.False(await store.Jobs.IsCurrentAsync(job.Id, second.Fence, Ct)); // an ended job takes no more writes
        Assert.Equal([job.Id], (await store.Jobs.ListAsync(Ct)).Select(j => j.Id));
    }

    /// <summary>
    /// Cancelling a queued job ends it at once, so no attempt begins; a running one is only marked, for its attempt to
    /// see; an ended one stays as it ended. A failure keeps its kind.
    /// </summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Jobs_Cancelled_EndQueuedAtOnce_AndMarkRunning(string dialect)
    {
        var store = await OpenAsync(dialect);
        var now = DateTimeOffset.UtcNow;
        var queued = Job.Queue("pipeline", "p", "{}", "tester", now);
        var running = Job.Queue("pipeline", "p", "{}", "tester", now);
        await store.Jobs.AddAsync(queued, Ct);
        await store.Jobs.AddAsync(running, Ct);
        var attempt = (await store.Jobs.BeginAsync(running.Id, "worker-a", now, Ct))!;

        var ended = (await store.Jobs.CancelAsync(queued.Id, "ops", now, Ct))!;
        Assert.Equal((JobState.Failed, "ops", ErrorCode.Conflict, "cancelled by ops before it started"), (ended.State, ended.CancelledBy, ended.Code, ended.Error));
        Assert.Null(await store.Jobs.BeginAsync(queued.Id, "worker-b", now, Ct));
        var marked = (await store.Jobs.CancelAsync(running.Id, "ops", now, Ct))!;
        Assert.Equal((JobState.Running, "ops"), (marked.State, marked.CancelledBy));
        Assert.True(await store.Jobs.IsCurrentAsync(running.Id, attempt.Fence, Ct)); // its attempt may still record how it stopped
        Assert.True(await store.Jobs.EndAsync(running.Id, attempt.Fence, null, new TendException(ErrorCode.InvalidData, "no rows"), now, Ct));
        var failed = (await store.Jobs.GetAsync(running.Id, Ct))!;
        Assert.Equal((JobState.Failed, ErrorCode.InvalidData, "no rows"), (failed.State, failed.Code, failed.Error));
        Assert.Equal(ErrorCode.InvalidData, failed.Failure!.Code);
        Assert.Equal(failed, await store.Jobs.CancelAsync(running.Id, "ops", now, Ct)); // ended: as it was
        Assert.Null(await store.Jobs.CancelAsync("nosuch", "ops", now, Ct));
    }

    /// <summary>A run started with its first beat has its owner from the first write, so a process killed right after leaves an orphan that is found, not a run running for ever.</summary>
    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Runs_StartedWithTheirFirstBeat_AreOrphansOnceTheirProcessIsGone(string dialect)
    {
        var store = await OpenAsync(dialect);
        var run = Run("a") with { Status = RunStatus.Running, Ended = null };
        await store.Runs.StartAsync(run, "worker-a", run.Started, Ct);
        Assert.Empty(await store.Runs.FindOrphansAsync((_, _) => null, Ct));
        var ended = Assert.Single(await store.Runs.EndOrphansAsync((beat, owner) => owner == "worker-a" && beat == run.Started ? "gone" : null, Ct));
        Assert.Equal((run.Id, RunStatus.Killed), (ended.Id, ended.Status));
        Assert.Equal(RunStatus.Killed, (await store.Runs.GetAsync(run.Id, Ct))!.Status);
    }

    private static void AssertChainIntact(IReadOnlyList<AuditEvent> events)
    {
        Assert.NotEmpty(events);
        Assert.Null(AuditHash.FirstBroken(events));
    }
}
