using System.Text;
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

    private static WebhookSpec Spec(HookListener listener, int retries = 3, double timeout = 5) =>
        new(new SecretReference("env", listener.UrlVariable), new SecretReference("env", listener.SecretVariable), retries, timeout);

    /// <summary>The loopback listeners of these tests are allowed; everything else private is not.</summary>
    private static readonly WebhookTargets Loopback = new(["127.0.0.1"]);

    [Fact]
    public async Task Webhook_RetriesUntilAccepted_AndPostsTheAlertAsSignedJson()
    {
        using var listener = new HookListener(_ => Task.FromResult(503), _ => Task.FromResult(500), _ => Task.FromResult(202));
        using var http = Loopback.Client();

        var delivery = await new Webhook(http).PostAsync(Fired, Spec(listener), CancellationToken.None);

        Assert.Equal(new AlertDelivery("webhook", true, 3), delivery);
        Assert.Equal(3, listener.Bodies.Count);
        var raw = listener.Bodies.Last();
        var body = JsonDocument.Parse(raw).RootElement;
        Assert.Equal((Fired.Id, "drift", "critical"), (body.GetProperty("id").GetString(), body.GetProperty("rule").GetString(), body.GetProperty("severity").GetString()));
        // What a receiver does (docs/monitoring.md): HMAC-SHA256 of "TIMESTAMP.BODY" under the shared key, and a recent timestamp.
        var (timestamp, signature) = listener.Signatures.Last();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(listener.Secret), Encoding.UTF8.GetBytes($"{timestamp}.{raw}")));
        Assert.Equal($"v1={expected}", signature);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp!, System.Globalization.CultureInfo.InvariantCulture), 0, 60);
    }

    [Fact]
    public void Signature_AgreesWithPythonsHmac()
    {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1733560000.{\"id\":\"a1\"}', hashlib.sha256).hexdigest())"
        Assert.Equal("99f5f5c913a14aa57b1ecc43ff390c60dce489c08d2918a6cc7784f81d3ed0eb",
            Webhook.Signature("whsec_test"u8.ToArray(), "1733560000", """{"id":"a1"}"""u8.ToArray()));
    }

    [Fact]
    public async Task Webhook_ASlowListener_TimesOut_AndAfterTheRetriesTheFailureIsNamed_ByItsReferenceNotItsAddress()
    {
        using var listener = new HookListener(async _ => { await Task.Delay(3000); return 200; });
        using var http = Loopback.Client();

        var delivery = await new Webhook(http).PostAsync(Fired, Spec(listener, retries: 1, timeout: 0.3), CancellationToken.None);

        Assert.False(delivery.Delivered);
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal($"env:{listener.UrlVariable} did not answer within 0.3 s", delivery.Error);
    }

    [Fact]
    public async Task Webhook_NobodyListening_OrNoAddressSet_IsNamed()
    {
        using var http = Loopback.Client();
        Environment.SetEnvironmentVariable("TEND_TEST_HOOK_NOBODY", "http://127.0.0.1:9/hook");
        var spec = new WebhookSpec(new SecretReference("env", "TEND_TEST_HOOK_NOBODY"), new SecretReference("env", "TEND_TEST_HOOK_NOBODY"), Retries: 0);
        var delivery = await new Webhook(http).PostAsync(Fired, spec, CancellationToken.None);
        Assert.False(delivery.Delivered);
        Assert.Equal("env:TEND_TEST_HOOK_NOBODY: could not connect", delivery.Error);

        var unset = await new Webhook(http).PostAsync(Fired, spec with { Url = new SecretReference("env", "TEND_TEST_HOOK_UNSET") }, CancellationToken.None);
        Assert.Equal(new AlertDelivery("webhook", false, 0, "environment variable TEND_TEST_HOOK_UNSET is not set"), unset);
    }

    [Fact]
    public async Task Webhook_ToThisMachineOrAPrivateNetwork_IsRefused_UnlessItsHostIsAllowed()
    {
        using var listener = new HookListener(_ => Task.FromResult(200));
        using var guarded = new WebhookTargets([]).Client();
        var refused = await new Webhook(guarded).PostAsync(Fired, Spec(listener, retries: 0), CancellationToken.None);
        Assert.False(refused.Delivered);
        Assert.Equal($"env:{listener.UrlVariable}: the webhook's address is on this machine or a private network; name its host in {WebhookTargets.Variable} to allow it", refused.Error);
        Assert.Empty(listener.Bodies);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)] // the cloud metadata service
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    public void IsPublic_RefusesLoopbackLinkLocalAndPrivateRanges(string address, bool expected) =>
        Assert.Equal(expected, WebhookTargets.IsPublic(System.Net.IPAddress.Parse(address)));
}
