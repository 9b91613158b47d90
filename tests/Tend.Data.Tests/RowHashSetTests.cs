using Tend.Data.Versions;

namespace Tend.Data.Tests;

public class RowHashSetTests
{
    [Fact]
    public void Add_FindsRepeats_ThroughGrowth_AndOnlyLooksUpOnceFull()
    {
        var set = new RowHashSet(50_000);
        var random = new Random(5);
        var hashes = Enumerable.Range(0, 40_000).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).Append(UInt128.Zero).ToList();
        Assert.All(hashes, h => Assert.True(set.Add(h)));
        Assert.All(hashes, h => Assert.False(set.Add(h)));
        Assert.Equal(40_001, set.Count);

        var full = new RowHashSet(10);
        for (var i = 1; i <= 10; i++)
            full.Add(new UInt128(0, (ulong)i));
        Assert.True(full.Add(new UInt128(0, 11)));  // new, but not remembered: the set is full
        Assert.True(full.Add(new UInt128(0, 11)));
        Assert.False(full.Add(new UInt128(0, 3)));  // still found
        Assert.Equal(10, full.Count);
    }
}
