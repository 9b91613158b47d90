using Tend.Core.Domain;

namespace Tend.Serving.Tests;

/// <summary>How a request is routed between the champion and a canary.</summary>
public sealed class RoutingTests
{
    private static Deployment Canary(double percent) => Deployment.PrimaryOnly("m") with { Canary = 2, CanaryPercent = percent };

    [Fact]
    public void WithoutACanary_EveryRequestGoesToThePrimary() =>
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(Deployment.Primary, PredictionService.Route(Deployment.PrimaryOnly("m"), $"k{i}")));

    [Fact]
    public void TheSameKey_AlwaysTakesTheSameSide() =>
        Assert.All(Enumerable.Range(0, 50), i => Assert.Single(Enumerable.Range(0, 20).Select(_ => PredictionService.Route(Canary(50), $"customer-{i}")).Distinct()));

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(90)]
    public void Keys_SplitAsTheCanarysShare(double percent)
    {
        const int keys = 10_000;
        var canary = Enumerable.Range(0, keys).Count(i => PredictionService.Route(Canary(percent), $"customer-{i}") == Deployment.CanaryRoute);
        var sd = Math.Sqrt(keys * percent / 100 * (1 - percent / 100)); // binomial
        Assert.InRange(canary, keys * percent / 100 - 4.5 * sd, keys * percent / 100 + 4.5 * sd);
    }

    [Fact]
    public void WithoutAKey_ChanceSplitsAsTheShare()
    {
        var canary = Enumerable.Range(0, 10_000).Count(_ => PredictionService.Route(Canary(30), null) == Deployment.CanaryRoute);
        Assert.InRange(canary, 3000 - 4.5 * 45.8, 3000 + 4.5 * 45.8); // sd = sqrt(10,000 × 0.3 × 0.7)
    }
}
