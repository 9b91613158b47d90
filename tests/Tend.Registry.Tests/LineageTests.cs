using Tend.Core.Domain;

namespace Tend.Registry.Tests;

/// <summary>A version's lineage: the run and its evaluations, the alias moves and deployment changes that concern it, and no other version's.</summary>
public sealed class LineageTests : RegistryTestBase
{
    [Fact]
    public async Task Lineage_GathersWhatConcernsTheVersion_AndNothingElse()
    {
        var v1 = await EvaluatedAsync();
        await Registry.PromoteAsync("spam", 1, ModelRegistry.Champion, "first", "alice", Ct);
        var v2 = await EvaluatedAsync(champion: 1);
        var deployments = new Deployments(Store, Registry);
        await deployments.SetAsync("spam", null, null, 2, "bob", "watch 2", Ct);
        await deployments.SetAsync("spam", 2, 20, null, "bob", "try 2", Ct);
        await deployments.RollbackAsync("spam", "bob", "done", Ct);

        var lineage = await Registry.LineageAsync(v2, Ct);
        Assert.Equal(v2.RunId, lineage.Run.Id);
        Assert.Equal(v2.RunId, Assert.Single(lineage.Evaluations).RunId);
        Assert.Empty(lineage.AliasMoves); // only version 1 was ever champion
        Assert.Equal([("shadow", (double?)null), ("canary", 20), (null, null)], lineage.Deployments.Select(d => (d.Role, d.Percent)));
        Assert.Equal(["watch 2", "try 2", "done"], lineage.Deployments.Select(d => d.Reason));

        var first = await Registry.LineageAsync(v1, Ct);
        Assert.Equal(1, Assert.Single(first.AliasMoves).To);
        Assert.Empty(first.Deployments);
        Assert.Empty(first.Datasets); // no dataset version was stored for spam@abc
    }
}
