namespace Tend.Serving.Tests;

public class RequestIdsTests
{
    [Fact]
    public void Ids_AreVersion7Uuids_TimeOrdered_AndUnique()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 100_000).Select(_ => RequestIds.Next()).ToList();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$", id));
        Assert.Equal(7, Guid.ParseExact(ids[0], "N").Version);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids); // the log's primary key grows at its end
        var milliseconds = Convert.ToInt64(ids[0][..12], 16);
        Assert.InRange(milliseconds, before, after);
    }
}
