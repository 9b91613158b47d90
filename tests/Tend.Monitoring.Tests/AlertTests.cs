using System.Text.Json;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Monitoring.Alerts;
using Tend.Testing;

namespace Tend.Monitoring.Tests;

public class AlertTests
{
    private static MonitorReport Report(bool drift, double accuracy) => new("r1", DateTimeOffset.UtcNow, "churn", "churn@abc", 1000, "predictions", 500, null, null,
        drift, drift ? "benjamini_hochberg" : "none", 0.1, [], new LivePerformance(200, "accuracy", accuracy));

    private static readonly AlertRule Drift = new("drift", AlertCondition.Parse("dataset_drift"), AlertSeverity.Critical, TimeSpan.FromHours(1));
    private static readonly AlertRule Accuracy = new("accuracy", AlertCondition.Parse("performance.value < 0.9"), AlertSeverity.Warning, TimeSpan.FromHours(1));

    [Fact]
    public void Check_FiresTheRulesThatHold_WithTheValueRead()
    {
        var now = DateTimeOffset.UtcNow;
        var outcomes = AlertRules.Check(Report(drift: true, accuracy: 0.95), [Drift, Accuracy], [], now);
        var fired = Assert.Single(outcomes);
        Assert.True(fired.IsNew);
        Assert.Equal(("drift", AlertSeverity.Critical, "true", "r1", now), (fired.Alert.Rule, fired.Alert.Severity, fired.Alert.Value, fired.Alert.ReportId, fired.Alert.Fired));
        Assert.Contains("dataset drift by benjamini_hochberg", fired.Alert.Message);
        Assert.Equal("0.85", AlertRules.Check(Report(drift: false, accuracy: 0.85), [Drift, Accuracy], [], now).Single().Alert.Value);
    }

    [Fact]
    public void Check_WithinTheCooldown_CountsARepeat_AfterIt_FiresAgain()
    {
        var first = AlertRules.Check(Report(true, 1), [Drift], [], DateTimeOffset.UtcNow.AddMinutes(-30)).Single().Alert;
        var repeat = AlertRules.Check(Report(true, 1), [Drift], [first], DateTimeOffset.UtcNow).Single();
        Assert.False(repeat.IsNew);
        Assert.Equal((first.Id, 2), (repeat.Alert.Id, repeat.Alert.Occurrences));

        var old = first with { Fired = DateTimeOffset.UtcNow.AddHours(-2) };
        var again = AlertRules.Check(Report(true, 1), [Drift], [old], DateTimeOffset.UtcNow).Single();
        Assert.True(again.IsNew);
        Assert.NotEqual(first.Id, again.Alert.Id);
    }

    private static readonly Alert Fired = AlertRules.Check(Report(true, 1), [Drift], [], DateTimeOffset.UtcNow).Single().Alert;

    [Fact]
    public async Task Webhook_RetriesUntilAccepted_AndPostsTheAlertAsJson()
    {
        using var listener = new HookListener(_ => Task.FromResult(503), _ => Task.FromResult(500), _ => Task.FromResult(202));
        using var http = new HttpClient();

        var delivery = await new Webhook(http).PostAsync(Fired, new WebhookSpec(listener.Url, Retries: 3, TimeoutSeconds: 5), CancellationToken.None);

        Assert.Equal(new AlertDelivery("webhook", true, 3), delivery);
        Assert.Equal(3, listener.Bodies.Count);
        var body = JsonDocument.Parse(listener.Bodies.Last()).RootElement;
        Assert.Equal((Fired.Id, "drift", "critical"), (body.GetProperty("id").GetString(), body.GetProperty("rule").GetString(), body.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task Webhook_ASlowListener_TimesOut_AndAfterTheRetriesTheFailureIsNamed()
    {
        using var listener = new HookListener(async _ => { await Task.Delay(3000); return 200; });
        using var http = new HttpClient();

        var delivery = await new Webhook(http).PostAsync(Fired, new WebhookSpec(listener.Url, Retries: 1, TimeoutSeconds: 0.3), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal($"{listener.Url} did not answer within 0.3 s", delivery.Error);
    }

    [Fact]
    public async Task Webhook_NobodyListening_IsNamed()
    {
        using var http = new HttpClient();
        var delivery = await new Webhook(http).PostAsync(Fired, new WebhookSpec("http://127.0.0.1:9/hook", Retries: 0), CancellationToken.None);
        Assert.False(delivery.Delivered);
        Assert.StartsWith("http://127.0.0.1:9/hook: ", delivery.Error);
    }
}
