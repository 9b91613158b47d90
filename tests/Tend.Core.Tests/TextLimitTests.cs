using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Core.Tests;

public class TextLimitTests
{
    [Fact]
    public void Check_PassesTextUpToTheLimit_AndRefusesLongerNamingTheField()
    {
        Assert.Null(TextLimit.Check("reason", null));
        Assert.Equal(65_536, TextLimit.Check("reason", new string('r', TextLimit.Prose)).Length);
        var e = Assert.Throws<TendException>(() => TextLimit.Check("reason", new string('r', TextLimit.Prose + 1)));
        Assert.Equal((ErrorCode.BadUsage, "reason"), (e.Code, e.Field));
        Assert.Equal("reason is 65,537 characters long; at most 65,536 are kept", e.Message);
    }

    [Fact]
    public void CheckPairs_BoundsKeysAndValues_NamingTheEntry()
    {
        var key = new string('k', TextLimit.Key + 1);
        Assert.Equal($"a key of tags ({new string('k', 100)}… (251 characters)) is 251 characters long; at most 250 are kept",
            Assert.Throws<TendException>(() => TextLimit.Check("tags", new Dictionary<string, string> { [key] = "v" })).Message);
        var value = Assert.Throws<TendException>(() => TextLimit.Check("params", new Dictionary<string, string> { ["lr"] = new('1', TextLimit.Value + 1) }));
        Assert.Equal(("params.lr", "params.lr is 8,001 characters long; at most 8,000 are kept"), (value.Field, value.Message));
    }

    [Fact]
    public void RunLog_Checked_BoundsItsTexts_AndAMetricKeyIsAProblem()
    {
        Assert.Equal("note", Assert.Throws<TendException>(() => new RunLog(Note: new string('n', TextLimit.Prose + 1)).Checked()).Field);
        Assert.Equal("tags.t", Assert.Throws<TendException>(() => new RunLog(Tags: new Dictionary<string, string> { ["t"] = new('v', TextLimit.Value + 1) }).Checked()).Field);
        Assert.StartsWith("a metric key (", new MetricBatch(new string('m', TextLimit.Key + 1), [1], [0], [0]).Problem());
        Assert.Null(new MetricBatch(new string('m', TextLimit.Key), [1], [0], [0]).Problem());
    }

    [Fact]
    public void Excerpt_KeepsShortTextWhole_AndCutsLongTextSayingHowLong()
    {
        Assert.Equal("short", TextLimit.Excerpt("short"));
        Assert.Equal(new string('x', 100), TextLimit.Excerpt(new string('x', 100)));
        Assert.Equal($"{new string('x', 100)}… (1,048,576 characters)", TextLimit.Excerpt(new string('x', 1 << 20)));
    }
}
