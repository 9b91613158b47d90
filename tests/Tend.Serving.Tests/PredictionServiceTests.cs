using System.Globalization;
using System.Text;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Data.Tabular;
using Tend.Serving.Protocols;

namespace Tend.Serving.Tests;

/// <summary>The predict path beside the champion: a shadow scores a copy off the request path, a canary takes its keys, a pinned version neither.</summary>
public sealed class PredictionServiceTests : PenguinHostBase
{
    private static readonly Table Penguins = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv"));

    /// <summary>Row <paramref name="i"/> without its label, numbers as numbers.</summary>
    private static ReadOnlyMemory<byte> Row(int i) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Penguins.Columns.Select((c, j) => (c, Penguins.Rows[i][j]))
        .Where(p => p.c != "species" && p.Item2 is not null)
        .ToDictionary(p => p.c, p => double.TryParse(p.Item2, CultureInfo.InvariantCulture, out var x) ? (object)x : p.Item2)));

    /// <summary>Row <paramref name="i"/> as Open Inference tensors, one an input column.</summary>
    private static ReadOnlyMemory<byte> OpenInferenceBody(int i) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        inputs = Penguins.Columns.Select((c, j) => (Name: c, Value: Penguins.Rows[i][j])).Where(p => p.Name != "species" && p.Value is not null)
            .Select(p => double.TryParse(p.Value, CultureInfo.InvariantCulture, out var x)
                ? new { name = p.Name, datatype = "FP64", shape = new[] { 1 }, data = (object)new[] { x } }
                : new { name = p.Name, datatype = "BYTES", shape = new[] { 1 }, data = (object)new[] { p.Value } }),
    }));

    private Task DeployAsync(Deployment deployment) =>
        Store.Deployments.SaveAsync(deployment, new AuditEntry("test", "deployment.set", "penguins@deployment", ""), Ct);

    private static async Task IdleAsync(ShadowScorer shadow)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); shadow.Pending > 0; await Task.Delay(10))
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), "the shadow did not finish its copies");
    }

    [Fact]
    public async Task AShadowedRequest_IsAnsweredByTheChampion_AndTheShadowsCopyIsLoggedUnderTheSameId()
    {
        await DeployAsync(Deployment.PrimaryOnly("penguins") with { Shadow = 2 });
        await using var log = new PredictionLog(Store.Predictions, time: Time);
        await using var shadow = new ShadowScorer(Host, log);
        var service = new PredictionService(Host, log, shadow);

        var answer = await service.PredictAsync(new NativeRequest("penguins", Row(0), null), Ct);
        Assert.Equal(("penguins", 1, Deployment.Primary), (answer.Model, answer.Version, answer.Route));
        await IdleAsync(shadow);
        await log.FlushAsync(Ct);

        var records = await Store.Predictions.ListAsync("penguins", null, null, Ct);
        var id = Assert.Single(answer.Predictions).RequestId;
        var primary = Assert.Single(records, r => r.RequestId == id);
        var copy = Assert.Single(records, r => r.RequestId == id + Deployment.ShadowIdSuffix);
        Assert.Equal((Deployment.ShadowRoute, 2), (copy.Route, copy.Version));
        Assert.Equal(primary.Features, copy.Features);
        Assert.Equal(answer.Predictions[0].Prediction, copy.Prediction); // the same model bytes under two versions agree
    }

    [Fact]
    public async Task APinnedVersion_GetsNoCanaryAndNoShadow()
    {
        await DeployAsync(Deployment.PrimaryOnly("penguins") with { Canary = 2, CanaryPercent = 99, Shadow = 2 });
        await using var log = new PredictionLog(Store.Predictions, time: Time);
        await using var shadow = new ShadowScorer(Host, log);
        var service = new PredictionService(Host, log, shadow);

        var answer = await service.PredictAsync(new OpenInferenceRequest("penguins", 1, OpenInferenceBody(1), null), Ct);
        Assert.Equal((1, PredictionService.PinnedRoute), (answer.Version, answer.Route));
        Assert.Equal(0, shadow.Pending);
        await log.FlushAsync(Ct);
        Assert.DoesNotContain(await Store.Predictions.ListAsync("penguins", null, null, Ct), r => r.Route == Deployment.ShadowRoute);
    }

    [Fact]
    public async Task ACanary_AnswersTheKeysRoutedToIt_WithItsVersion()
    {
        var deployment = Deployment.PrimaryOnly("penguins") with { Canary = 2, CanaryPercent = 50 };
        await DeployAsync(deployment);
        await using var log = new PredictionLog(Store.Predictions, time: Time);
        await using var shadow = new ShadowScorer(Host, log);
        var service = new PredictionService(Host, log, shadow);

        foreach (var key in Enumerable.Range(0, 20).Select(i => $"customer-{i}"))
        {
            var answer = await service.PredictAsync(new NativeRequest("penguins", Row(2), key), Ct);
            var route = PredictionService.Route(deployment, key);
            Assert.Equal((route, route == Deployment.CanaryRoute ? 2 : 1), (answer.Route, answer.Version));
        }
    }
}
