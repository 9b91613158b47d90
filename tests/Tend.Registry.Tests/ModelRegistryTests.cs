using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Registry.Tests;

public sealed class ModelRegistryTests : RegistryTestBase
{
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
        var first = await Registry.RegisterAsync(Run(), "alice", Ct);
        var second = await Registry.RegisterAsync(Run(), "alice", Ct);
        Assert.Equal((1, 2), (first.Version, second.Version));
        // sha256 of "model bytes"
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("model bytes"u8.ToArray())), first.Checksum);
        Assert.Equal(0.97, first.Metrics["auc"]);
    }

    [Fact]
    public async Task Register_UnfinishedRun_IsAConflict()
    {
        var e = await Assert.ThrowsAsync<TendException>(() => Registry.RegisterAsync(Run(RunStatus.Failed), "alice", Ct));
        Assert.Equal(ErrorCode.Conflict, e.Code);
    }

    [Fact]
    public async Task Resolve_FollowsTheChampion_ElseTheNewest()
    {
        await EvaluatedAsync();
        await EvaluatedAsync();
        Assert.Equal(2, (await Registry.ResolveAsync(ModelReference.Parse("spam"), Ct)).Version);
        await Registry.PromoteAsync("spam", 1, ModelRegistry.Champion, "rollback", "bob", Ct);
        Assert.Equal(1, (await Registry.ResolveAsync(ModelReference.Parse("spam"), Ct)).Version);
        Assert.Equal(1, (await Registry.ResolveAsync(ModelReference.Parse("spam@champion"), Ct)).Version);
        var e = await Assert.ThrowsAsync<TendException>(() => Registry.ResolveAsync(ModelReference.Parse("spam@shadow"), Ct));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    [Fact]
    public async Task Promote_InvalidAlias_IsRefused_AndAMoveSaysFromWhere()
    {
        await EvaluatedAsync();
        await EvaluatedAsync(champion: 1);
        await Assert.ThrowsAsync<TendException>(() => Registry.PromoteAsync("spam", 1, "Champion!", "x", "bob", Ct));
        await Registry.PromoteAsync("spam", 1, "champion", "first", "bob", Ct);
        await Registry.PromoteAsync("spam", 2, "champion", "better auc", "bob", Ct);
        var moves = (await Store.Audit.ListAsync(Ct)).Where(a => a.Action == "model.alias").ToList();
        Assert.Equal(["champion set to 1: first", "champion moved from 1 to 2: better auc"], moves.Select(m => m.Reason));
        Assert.All(moves, m => Assert.Equal("bob", m.Actor));
    }

    [Fact]
    public async Task Champion_NeedsAPassedCurrentEvaluation_UnlessForced()
    {
        await EvaluatedAsync();
        var failed = await EvaluatedAsync(champion: 1, passed: false);
        var stale = await EvaluatedAsync(champion: null);
        await Registry.PromoteAsync("spam", 1, "champion", "first", "bob", Ct);
        var e = await Assert.ThrowsAsync<TendException>(() => Registry.PromoteAsync("spam", failed.Version, "champion", "x", "bob", Ct));
        Assert.Equal(ErrorCode.GateFailed, e.Code);
        e = await Assert.ThrowsAsync<TendException>(() => Registry.PromoteAsync("spam", stale.Version, "champion", "x", "bob", Ct));
        Assert.Equal(ErrorCode.NotAllowed, e.Code);
        Assert.Contains("evaluated against champion (none), but the champion is now v1", e.Message);
        await Registry.PromoteAsync("spam", failed.Version, "challenger", "any alias but champion is free", "bob", Ct);
        await Registry.PromoteAsync("spam", failed.Version, "champion", "hotfix", "bob", Ct, force: true);
        Assert.Equal(AliasMove.Forced, (await Registry.HistoryAsync("spam", "champion", Ct))[^1].Kind);
    }

    [Fact]
    public async Task Rollback_Twice_GoesFurtherBack()
    {
        await EvaluatedAsync();
        await EvaluatedAsync(champion: 1);
        await EvaluatedAsync(champion: 2);
        await Registry.PromoteAsync("spam", 1, "champion", "v1", "bob", Ct);
        await Registry.PromoteAsync("spam", 2, "champion", "v2", "bob", Ct);
        await Registry.PromoteAsync("spam", 3, "champion", "v3", "bob", Ct);
        Assert.Equal(2, (await Registry.RollbackAsync("spam", "bad", "carol", Ct)).Version);
        Assert.Equal(1, (await Registry.RollbackAsync("spam", "worse", "carol", Ct)).Version);
        var e = await Assert.ThrowsAsync<TendException>(() => Registry.RollbackAsync("spam", "", "carol", Ct));
        Assert.Equal(ErrorCode.NotAllowed, e.Code);
    }

    /// <summary>Twenty forced promotions at once: each move's "from" is the move before's "to", so a rollback goes to the true previous champion.</summary>
    [Fact]
    public async Task ConcurrentPromotions_LeaveAChainedHistory_AndRollbackFollowsIt()
    {
        for (var i = 0; i < 20; i++)
            await Registry.RegisterAsync(Run(), "alice", Ct);
        await Task.WhenAll(Enumerable.Range(1, 20).Select(v => Task.Run(() => Registry.PromoteAsync("spam", v, "champion", "race", "bob", Ct, force: true))));

        var history = await Registry.HistoryAsync("spam", "champion", Ct);
        Assert.Equal(20, history.Count);
        for (var i = 1; i < history.Count; i++)
            Assert.Equal(history[i - 1].To, history[i].From);
        Assert.Equal(history[^2].To, (await Registry.RollbackAsync("spam", "undo the last", "carol", Ct)).Version);
    }

    [Fact]
    public async Task Approval_FourEyes_AndOneDecisionOnly()
    {
        await EvaluatedAsync();
        var pending = await Registry.PromoteAsync("spam", 1, "champion", "first", "alice", Ct, Approval.Required);
        Assert.Equal(Promotion.Pending, pending.Status);
        Assert.Null(await Store.Models.GetAliasAsync("spam", "champion", Ct));
        var e = await Assert.ThrowsAsync<TendException>(() => Registry.DecideAsync(pending.RequestId!, true, "", "alice", Ct));
        Assert.Equal(ErrorCode.NotAllowed, e.Code);
        await Registry.DecideAsync(pending.RequestId![..6], true, "ok", "bob", Ct);
        Assert.Equal(1, (await Store.Models.GetAliasAsync("spam", "champion", Ct))!.Version);
        e = await Assert.ThrowsAsync<TendException>(() => Registry.DecideAsync(pending.RequestId!, false, "", "carol", Ct));
        Assert.Equal(ErrorCode.Conflict, e.Code);
        var audit = await Store.Audit.ListAsync(Ct);
        Assert.Equal(["approval.request", "approval.approve"], audit.Where(a => a.Action.StartsWith("approval.")).Select(a => a.Action));
        Assert.Contains("\"status\":\"approved\"", audit.Single(a => a.Action == "approval.approve").After);
    }
}
