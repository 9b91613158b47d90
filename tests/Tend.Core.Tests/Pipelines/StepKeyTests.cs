using Tend.Core.Pipelines;

namespace Tend.Core.Tests.Pipelines;

/// <summary>A step's cache key: equal for the same work, and when it differs, the part that changed, named.</summary>
public sealed class StepKeyTests
{
    private const string Data = "9e427d3a86eaefef2a71a7a3747520657c9ac709bbaa029382b75b28b4338152";

    private static StepKey Train(string trials = "30", string data = Data, int version = 1, IReadOnlyDictionary<string, string>? environment = null) =>
        new("train", version, new Dictionary<string, string> { ["trials"] = trials, ["trainer"] = "lightgbm" }, new Dictionary<string, string> { ["data"] = data },
            environment ?? new Dictionary<string, string>());

    [Fact]
    public void TheSameWork_HasTheSameKey_WhateverTheOrderItsPartsWereGivenIn()
    {
        var reordered = new StepKey("train", 1, new Dictionary<string, string> { ["trainer"] = "lightgbm", ["trials"] = "30" }, new Dictionary<string, string> { ["data"] = Data },
            new Dictionary<string, string>());
        Assert.Equal(Train().Hash, reordered.Hash);
        Assert.Matches("^[0-9a-f]{64}$", Train().Hash);
        Assert.Empty(Train().Changes(reordered));
    }

    [Fact]
    public void EachChange_ChangesTheKey_AndIsNamed()
    {
        var before = Train();
        Assert.Equal(["parameter 'trials': 30 → 40"], Train(trials: "40").Changes(before));
        Assert.Equal(["input 'data': 9e427d3a86ea → 0000000000aa"], Train(data: "0000000000aa" + Data[12..]).Changes(before));
        Assert.Equal(["implementation: version 1 → 2"], Train(version: 2).Changes(before));
        Assert.All(new[] { Train(trials: "40"), Train(data: new string('0', 64)), Train(version: 2) }, k => Assert.NotEqual(before.Hash, k.Hash));
    }

    [Fact]
    public void ValuesCannotRunTogether()
    {
        var a = new StepKey("command", 1, new Dictionary<string, string> { ["a"] = "b=c" }, new Dictionary<string, string>(), new Dictionary<string, string>());
        var b = new StepKey("command", 1, new Dictionary<string, string> { ["a=b"] = "c" }, new Dictionary<string, string>(), new Dictionary<string, string>());
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void AnEnvironmentVariable_CountsByItsHash_NeverItsValue()
    {
        var environment = StepKey.EnvironmentOf(["API_KEY", "UNSET"], n => n == "API_KEY" ? "s3cret" : null);
        Assert.Equal("1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0", environment["API_KEY"]); // printf 's3cret' | sha256sum
        Assert.DoesNotContain("s3cret", string.Join(",", environment.Values));
        Assert.Equal("unset", environment["UNSET"]);
        var changed = Train(environment: StepKey.EnvironmentOf(["API_KEY"], _ => "rotated")).Changes(Train(environment: StepKey.EnvironmentOf(["API_KEY"], _ => "s3cret")));
        Assert.Single(changed);
        Assert.StartsWith("environment 'API_KEY': ", changed[0]);
        Assert.DoesNotContain("s3cret", changed[0]);
        Assert.DoesNotContain("rotated", changed[0]);
    }
}
