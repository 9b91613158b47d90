namespace Tend.Serving.Tests;

/// <summary>The model host: hot swap on its clock, leases, disposal.</summary>
public sealed class ModelHostTests : PenguinHostBase
{
    [Fact]
    public async Task Champion_Moves_IsServedOnceTheLookupIsStale_NotBefore()
    {
        Assert.Equal(1, (await Host.GetAsync("penguins", Ct)).Version.Version);
        await PromoteAsync(2);

        Time.Advance(ModelHost.AliasRefresh);
        Assert.Equal(1, (await Host.GetAsync("penguins", Ct)).Version.Version);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await Host.GetAsync("penguins", Ct)).Version.Version);
    }

    [Fact]
    public async Task SwappedOutVersion_IsDisposed_OnlyWhenTheLastRequestHoldingItEnds()
    {
        var lease = await Host.LeaseAsync("penguins", null, Ct);
        var old = lease.Model;
        await PromoteAsync(2);
        Time.Advance(ModelHost.AliasRefresh + TimeSpan.FromMilliseconds(1));

        using (var next = await Host.LeaseAsync("penguins", null, Ct))
            Assert.Equal(2, next.Model.Version.Version);
        Assert.False(old.Disposed); // a request still scores with it
        old.WarmUp(); // and can

        lease.Dispose();
        Assert.True(old.Disposed);
        Assert.False((await Host.GetAsync("penguins", Ct)).Disposed);
    }

    [Fact]
    public async Task Dispose_LetsEveryLoadedVersionGo()
    {
        var champion = await Host.GetAsync("penguins", Ct);
        var pinned = await Host.GetAsync("penguins", 2, Ct);

        Host.Dispose();

        Assert.True(champion.Disposed);
        Assert.True(pinned.Disposed);
    }
}
