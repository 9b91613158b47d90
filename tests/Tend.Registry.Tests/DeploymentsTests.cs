using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Registry.Tests;

/// <summary>Canary and shadow beside the champion: what may be deployed, what a rollback and a canary's promotion do, and the audit of each.</summary>
public sealed class DeploymentsTests : RegistryTestBase
{
    private Deployments Deployments => new(Store, Registry);

    /// <summary>Version 1 the champion, versions 2 and 3 registered and evaluated beside it.</summary>
    private async Task ThreeVersionsAsync()
    {
        await EvaluatedAsync();
        await Registry.PromoteAsync("spam", 1, ModelRegistry.Champion, "first", "alice", Ct);
        await EvaluatedAsync(champion: 1);
        await EvaluatedAsync(champion: 1);
    }

    [Fact]
    public async Task Set_RefusesTheChampion_AnUnknownVersion_AndAShareOutsideZeroToHundred()
    {
        await ThreeVersionsAsync();
        Assert.Contains("is the champion already", (await Assert.ThrowsAsync<TendException>(() => Deployments.SetAsync("spam", 1, 10, null, "bob", "", Ct))).Message);
        Assert.Equal(ErrorCode.NotFound, (await Assert.ThrowsAsync<TendException>(() => Deployments.SetAsync("spam", 9, 10, null, "bob", "", Ct))).Code);
        foreach (var percent in new double?[] { null, 0, 100 })
            Assert.Equal("percent", (await Assert.ThrowsAsync<TendException>(() => Deployments.SetAsync("spam", 2, percent, null, "bob", "", Ct))).Field);
        Assert.Equal("canary", (await Assert.ThrowsAsync<TendException>(() => Deployments.SetAsync("spam", null, null, null, "bob", "", Ct))).Field);
        Assert.Equal(Deployment.PrimaryOnly("spam"), await Deployments.GetAsync("spam", Ct)); // nothing stored
    }

    [Fact]
    public async Task Set_KeepsWhatItDoesNotName_AndRollback_EndsBoth_EachAudited()
    {
        await ThreeVersionsAsync();
        await Deployments.SetAsync("spam", 2, 25, null, "bob", "try 2", Ct);
        var both = await Deployments.SetAsync("spam", null, null, 3, "bob", "watch 3", Ct);
        Assert.Equal((2, 25.0, 3), (both.Canary, both.CanaryPercent, both.Shadow));

        var rolled = await Deployments.RollbackAsync("spam", "carol", "enough", Ct);
        Assert.Equal((null, 0.0, null, "carol"), (rolled.Canary, rolled.CanaryPercent, rolled.Shadow, rolled.Actor));
        Assert.Equal(ErrorCode.Conflict, (await Assert.ThrowsAsync<TendException>(() => Deployments.RollbackAsync("spam", "carol", "again", Ct))).Code);

        var audit = await Store.Audit.ListAsync(Ct, subject: "spam@deployment");
        Assert.Equal(["deployment.set", "deployment.set", "deployment.rollback"], audit.Select(e => e.Action));
        Assert.Equal(3, TendJson.Deserialize<Deployment>(audit[2].Before!).Shadow);
    }

    [Fact]
    public async Task PromoteCanary_MakesItTheChampion_AndEndsTheCanary_ButKeepsTheShadow()
    {
        await ThreeVersionsAsync();
        await Deployments.SetAsync("spam", 2, 10, 3, "bob", "try 2, watch 3", Ct);
        var promotion = await Deployments.PromoteCanaryAsync("spam", "carol", "2 is as good", Approval.None, force: false, Ct);
        Assert.Equal((Promotion.Done, 2), (promotion.Status, promotion.Version));
        Assert.Equal(2, (await Registry.ResolveAsync(new ModelReference("spam", null, ModelRegistry.Champion), Ct)).Version);
        var after = await Deployments.GetAsync("spam", Ct);
        Assert.Equal((null, 0.0, 3), (after.Canary, after.CanaryPercent, after.Shadow));
        Assert.Equal(ErrorCode.Conflict, (await Assert.ThrowsAsync<TendException>(() => Deployments.PromoteCanaryAsync("spam", "carol", "", Approval.None, false, Ct))).Code);
    }

    [Fact]
    public async Task PromoteCanary_UnderApproval_LeavesTheCanaryRunning_UntilDecided()
    {
        await ThreeVersionsAsync();
        await Deployments.SetAsync("spam", 2, 10, null, "bob", "try 2", Ct);
        var pending = await Deployments.PromoteCanaryAsync("spam", "bob", "2 is as good", Approval.Required, force: false, Ct);
        Assert.Equal(Promotion.Pending, pending.Status);
        Assert.Equal(2, (await Deployments.GetAsync("spam", Ct)).Canary);
        Assert.Equal(1, (await Registry.ResolveAsync(new ModelReference("spam", null, ModelRegistry.Champion), Ct)).Version);
    }
}
