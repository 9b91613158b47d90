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

    [Theory]
    [InlineData(0.98765432, "0.9877")]
    [InlineData(12.3456, "12.35")]
    [InlineData(185432.0, "185,400")]
    [InlineData(-0.000123456, "-0.0001235")]
    [InlineData(0.0000123456, "1.235E-5")]
    [InlineData(1234567890123.0, "1.235E+12")]
    [InlineData(2.0, "2")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "–")]
    [InlineData(null, "–")]
    public void Significant_FourDigitsWhateverTheScale(double? value, string expected) =>
        Assert.Equal(expected, Figures.Significant(value));

    [Fact]
    public void Full_EveryDigit() => Assert.Equal("0.9876543210123", Figures.Full(0.9876543210123));

    [Fact]
    public void Percent_UpToTwoDecimals() =>
        Assert.Equal(("12.35%", "100%", "–"), (Figures.Percent(0.123456), Figures.Percent(1), Figures.Percent(null)));
}
