using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Storage.Sql;

namespace Tend.Registry.Tests;

public sealed class ModelRegistryTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("tend-registry-").FullName;
    private SqlMetadataStore _store = null!;
    private ModelRegistry _registry = null!;
    private static readonly CancellationToken Ct = CancellationToken.None;

    public async Task InitializeAsync()
    {
        _store = await SqlMetadataStore.OpenAsync($"sqlite://{_root}/tend.db", Ct);
        var artifacts = new FileArtifactStore(Path.Combine(_root, "artifacts"));
        await artifacts.PutAsync("models/m.zip", new MemoryStream("model bytes"u8.ToArray()), Ct);
        _registry = new ModelRegistry(_store, artifacts);
    }

    /// <summary>Registers a run as the next version with a stored evaluation that passed its gates against <paramref name="champion"/>.</summary>
    private async Task<ModelVersion> EvaluatedAsync(int? champion = null, bool passed = true)
    {
        var run = Run();
        await _store.Evaluations.AddAsync(new EvaluationRecord(Guid.NewGuid().ToString("N"), run.Id, "run", "spam@abc", DateTimeOffset.UtcNow, "alice", passed,
            run.Metrics, passed ? [] : ["auc 0.97 is below the bar 0.99"], champion, "evaluations/x.json"), new AuditEntry("alice", "evaluation.add", run.Id, "test"), Ct);
        return await _registry.RegisterAsync(run, "alice", Ct);
    }

    private static Run Run(RunStatus status = RunStatus.Finished) =>
        new(Guid.NewGuid().ToString("N"), "spam", status, DateTimeOffset.UtcNow, null, "spam@abc", new Dictionary<string, string>(),
            new Dictionary<string, double> { ["auc"] = 0.97 }, new Dictionary<string, string> { ["model"] = "models/m.zip" }, new Dictionary<string, string>());

    [Theory]
    [InlineData("spam", "spam", null, null)]
    [InlineData("spam@3", "spam", 3, null)]
    [InlineData("spam@challenger", "spam", null, "challenger")]
    public void Parse_References(string text, string name, int? version, string? alias)
    {
        Assert.Equal(new ModelReference(name, version, alias), ModelReference.Parse(text));
        Assert.Equal(text, ModelReference.Parse(text).ToString());
    }

    [Fact]
    public void Parse_Malformed_SaysWhatIsExpected()
    {
        var e = Assert.Throws<TendException>(() => ModelReference.Parse("spam@"));
        Assert.Contains("expected NAME, NAME@VERSION or NAME@ALIAS", e.Message);
    }

    [Fact]
    public async Task Register_ChecksumsTheArtifact_AndNumbersVersions()
    {
        var first = await _registry.RegisterAsync(Run(), "alice", Ct);
        var second = await _registry.RegisterAsync(Run(), "alice", Ct);
        Assert.Equal((1, 2), (first.Version, second.Version));
        // sha256 of "model bytes"
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("model bytes"u8.ToArray())), first.Checksum);
        Assert.Equal(0.97, first.Metrics["auc"]);
    }

    [Fact]
    public async Task Register_UnfinishedRun_IsAConflict()
    {
        var e = await Assert.ThrowsAsync<TendException>(() => _registry.RegisterAsync(Run(RunStatus.Failed), "alice", Ct));
        Assert.Equal(ErrorCode.Conflict, e.Code);
    }

    [Fact]
    public async Task Resolve_FollowsTheChampion_ElseTheNewest()
    {
        await EvaluatedAsync();
        await EvaluatedAsync();
        Assert.Equal(2, (await _registry.ResolveAsync(ModelReference.Parse("spam"), Ct)).Version);
        await _registry.PromoteAsync("spam", 1, ModelRegistry.Champion, "rollback", "bob", Ct);
        Assert.Equal(1, (await _registry.ResolveAsync(ModelReference.Parse("spam"), Ct)).Version);
        Assert.Equal(1, (await _registry.ResolveAsync(ModelReference.Parse("spam@champion"), Ct)).Version);
        var e = await Assert.ThrowsAsync<TendException>(() => _registry.ResolveAsync(ModelReference.Parse("spam@shadow"), Ct));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Fact]
    public async Task Promote_InvalidAlias_IsRefused_AndAMoveSaysFromWhere()
    {
        await EvaluatedAsync();
        await EvaluatedAsync(champion: 1);
        await Assert.ThrowsAsync<TendException>(() => _registry.PromoteAsync("spam", 1, "Champion!", "x", "bob", Ct));
        await _registry.PromoteAsync("spam", 1, "champion", "first", "bob", Ct);
        await _registry.PromoteAsync("spam", 2, "champion", "better auc", "bob", Ct);
        var moves = (await _store.Audit.ListAsync(Ct)).Where(a => a.Action == "model.alias").ToList();
        Assert.Equal(["champion set to 1: first", "champion moved from 1 to 2: better auc"], moves.Select(m => m.Reason));
        Assert.All(moves, m => Assert.Equal("bob", m.Actor));
    }

    [Fact]
    public async Task Champion_NeedsAPassedCurrentEvaluation_UnlessForced()
    {
        await EvaluatedAsync();
        var failed = await EvaluatedAsync(champion: 1, passed: false);
        var stale = await EvaluatedAsync(champion: null);
        await _registry.PromoteAsync("spam", 1, "champion", "first", "bob", Ct);
        var e = await Assert.ThrowsAsync<TendException>(() => _registry.PromoteAsync("spam", failed.Version, "champion", "x", "bob", Ct));
        Assert.Equal(ErrorCode.GateFailed, e.Code);
        e = await Assert.ThrowsAsync<TendException>(() => _registry.PromoteAsync("spam", stale.Version, "champion", "x", "bob", Ct));
        Assert.Equal(ErrorCode.NotAllowed, e.Code);
        Assert.Contains("evaluated against champion (none), but the champion is now v1", e.Message);
        await _registry.PromoteAsync("spam", failed.Version, "challenger", "any alias but champion is free", "bob", Ct);
        await _registry.PromoteAsync("spam", failed.Version, "champion", "hotfix", "bob", Ct, force: true);
        Assert.Equal(AliasMove.Forced, (await _registry.HistoryAsync("spam", "champion", Ct))[^1].Kind);
    }

    [Fact]
    public async Task Rollback_Twice_GoesFurtherBack()
    {
        await EvaluatedAsync();
        await EvaluatedAsync(champion: 1);
        await EvaluatedAsync(champion: 2);
        await _registry.PromoteAsync("spam", 1, "champion", "v1", "bob", Ct);
        await _registry.PromoteAsync("spam", 2, "champion", "v2", "bob", Ct);
        await _registry.PromoteAsync("spam", 3, "champion", "v3", "bob", Ct);
        Assert.Equal(2, (await _registry.RollbackAsync("spam", "bad", "carol", Ct)).Version);
        Assert.Equal(1, (await _registry.RollbackAsync("spam", "worse", "carol", Ct)).Version);
        var e = await Assert.ThrowsAsync<TendException>(() => _registry.RollbackAsync("spam", "", "carol", Ct));
        Assert.Equal(ErrorCode.NotAllowed, e.Code);
    }

    [Fact]
    public async Task Approval_FourEyes_AndOneDecisionOnly()
    {
        await EvaluatedAsync();
        var pending = await _registry.PromoteAsync("spam", 1, "champion", "first", "alice", Ct, Approval.Required);
        Assert.Equal(Promotion.Pending, pending.Status);
        Assert.Null(await _store.Models.GetAliasAsync("spam", "champion", Ct));
        var e = await Assert.ThrowsAsync<TendException>(() => _registry.DecideAsync(pending.RequestId!, true, "", "alice", Ct));
        Assert.Equal(ErrorCode.NotAllowed, e.Code);
        await _registry.DecideAsync(pending.RequestId![..6], true, "ok", "bob", Ct);
        Assert.Equal(1, (await _store.Models.GetAliasAsync("spam", "champion", Ct))!.Version);
        e = await Assert.ThrowsAsync<TendException>(() => _registry.DecideAsync(pending.RequestId!, false, "", "carol", Ct));
        Assert.Equal(ErrorCode.Conflict, e.Code);
        var audit = await _store.Audit.ListAsync(Ct);
        Assert.Equal(["approval.request", "approval.approve"], audit.Where(a => a.Action.StartsWith("approval.")).Select(a => a.Action));
        Assert.Contains("\"status\":\"approved\"", audit.Single(a => a.Action == "approval.approve").After);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
