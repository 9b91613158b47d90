using Tend.Core.Domain;

namespace Tend.Core.Tests;

public sealed class FiguresTests
{
    [Theory]
    [InlineData(0.912345678, "0.9123")]
    [InlineData(12.5, "12.5")]
    [InlineData(0.0, "0")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(0.00003, "3E-5")] // a p-value is not written as a misleading 0
    [InlineData(double.NaN, "–")]
    [InlineData(null, "–")]
    public void Number_FourDecimals_TinyValuesInScientificNotation_ADashForNone(double? value, string expected) =>
        Assert.Equal(expected, Figures.Number(value));

    [Fact]
    public void Percent_UpToTwoDecimals() =>
        Assert.Equal(("12.35%", "100%", "–"), (Figures.Percent(0.123456), Figures.Percent(1), Figures.Percent(null)));
}
