using Tend.Data.Tabular;
using Tend.Monitoring.Drift;
using Tend.Monitoring.Statistics;

namespace Tend.Monitoring.Tests;

public class BinsTests
{
    [Fact]
    public void DrawnBins_NameTheirEdgesWithoutFloatNoise_AndKeepThemApart()
    {
        // Tenths as a double holds them: 3 * 0.1 is 0.30000000000000004.
        var values = Enumerable.Range(0, 101).Select(i => i * 0.01 * 3).ToList();
        var sample = ColumnSample.Of(values);

        var drawn = Bins.Drawn(sample, sample);

        Assert.Equal(10, drawn.Bins.Count);
        Assert.Equal("≤ 0.3", drawn.Bins[0]);
        Assert.Equal("(0.3, 0.6]", drawn.Bins[1]);
        Assert.Equal("> 2.7", drawn.Bins[^1]);
        Assert.DoesNotContain(drawn.Bins, b => System.Text.RegularExpressions.Regex.IsMatch(b, @"\d\.\d{5,}"));
    }

    [Fact]
    public void EdgeNames_TakeMoreDigitsOnlyWhereNeighboursWouldMeet()
    {
        Assert.Equal(["0.312", "0.5", "181000"], Bins.EdgeNames([0.3120000000000027, 0.5, 181000.4]));
        Assert.Equal(["1.0001", "1.0002"], Bins.EdgeNames([1.00011, 1.00024]));
        Assert.Equal(["-0.000123", "0"], Bins.EdgeNames([-0.00012345, 0]));
        Assert.Equal(Cells.Format(0.1 + 0.2), Bins.EdgeNames([0.1 + 0.2, 0.3])[0]); // apart only at full precision: kept as is
    }
}
