namespace Tend.Storage.Sql.Tests;

public class SqlTimeTests
{
    [Fact]
    public void Times_AreFixedWidthUtcText_WhoseOrderIsTimeOrder_AndReadBack()
    {
        var times = new[]
        {
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            new DateTimeOffset(2026, 1, 2, 1, 4, 5, TimeSpan.Zero).AddTicks(1),
            new DateTimeOffset(2026, 11, 23, 6, 20, 4, 123, TimeSpan.Zero).AddTicks(4567),
        };
        var texts = times.Select(SqlTime.Format).ToList();

        Assert.Equal(["2026-01-02T01:04:05.0000000Z", "2026-01-02T01:04:05.0000001Z", "2026-11-23T06:20:04.1234567Z"], texts);
        Assert.Equal(times, texts.Select(SqlTime.Parse));
    }
}
