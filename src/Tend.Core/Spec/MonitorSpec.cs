using System.Globalization;
using Cronos;

namespace Tend.Core.Spec;

/// <summary>
/// How <c>tend monitor</c> judges drift: the significance level of the tests (applied to p-values corrected for testing
/// many columns), the share of features that must drift for the dataset to drift, the statistic that decides for every
/// column it applies to (null: each column's default by type and sample size), and thresholds of distance statistics
/// other than their defaults. A <see cref="Schedule"/> makes <c>tend serve</c> run the monitor on its own, over
/// <see cref="Current"/> against <see cref="Reference"/>; after every run the <see cref="Alerts"/> are checked and a
/// firing one is posted to the <see cref="Webhook"/>. <see cref="Columns"/> limits the features compared (default: all).
/// </summary>
public sealed record MonitorSpec(
    double PValue = MonitorSpec.DefaultPValue,
    double DriftShare = MonitorSpec.DefaultDriftShare,
    string? Statistic = null,
    IReadOnlyDictionary<string, double>? Thresholds = null,
    string? Schedule = null,
    string? Current = null,
    string? Reference = null,
    IReadOnlyList<AlertRule>? Alerts = null,
    WebhookSpec? Webhook = null,
    IReadOnlyList<string>? Columns = null)
{
    /// <summary>The conventional 5 % significance level, as Evidently's default for its tests.</summary>
    public const double DefaultPValue = 0.05;
    /// <summary>
    /// One drifted feature is enough for the dataset to drift: the tests are corrected for their number and the
    /// distances' thresholds are effect sizes, so one is not noise. Evidently's rule is 0.5.
    /// </summary>
    public const double DefaultDriftShare = 0;
    /// <summary>What a scheduled run compares when tend.yaml does not say: the last day of served traffic.</summary>
    public const string DefaultScheduledWindow = "last:24h";

    /// <summary>The drift statistics by name (Tend.Monitoring implements each; a test keeps the two lists equal).</summary>
    public static readonly IReadOnlyList<string> Statistics = ["ks", "chi_square", "z", "psi", "wasserstein", "jensen_shannon", "hellinger"];

    private static readonly string[] Keys = ["p_value", "drift_share", "statistic", "thresholds", "schedule", "current", "reference", "alerts", "webhook", "columns"];

    /// <summary>The cron schedule: five fields (minute precision) or six (the first is seconds), in UTC.</summary>
    public static CronExpression Cron(string schedule) =>
        CronExpression.Parse(schedule, schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);

    /// <summary>An error naming the line unless <paramref name="key"/>'s value (<paramref name="what"/>, as messages call it) is a cron expression.</summary>
    internal static void CheckCron(YamlMap map, string key, string what, string example)
    {
        try
        {
            Cron(map.String(key, required: true)!);
        }
        catch (CronFormatException e)
        {
            throw map.Error(key, $"{what} must be a cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first), e.g. \"{example}\": {e.Message}");
        }
    }

    internal static MonitorSpec Load(YamlMap root)
    {
        var monitor = root.Map("monitor", Keys);
        if (monitor is null)
            return new MonitorSpec();
        var statistic = monitor.String("statistic");
        if (statistic is not null && !Statistics.Contains(statistic))
            throw monitor.Error("statistic", $"'monitor.statistic' must be one of: {string.Join(", ", Statistics)}; got '{statistic}'");
        var thresholdMap = monitor.OpenMap("thresholds");
        var thresholds = thresholdMap?.Numbers();
        foreach (var name in thresholds?.Keys ?? [])
            if (!Statistics.Contains(name))
                throw thresholdMap!.Error(name, $"'monitor.thresholds.{name}' is not a drift statistic; known: {string.Join(", ", Statistics)}");
        var schedule = monitor.String("schedule");
        if (schedule is not null)
            CheckCron(monitor, "schedule", "'monitor.schedule'", "0 * * * *");
        var alerts = monitor.List("alerts", AlertRule.Keys).Select(AlertRule.Load).ToList();
        var duplicate = alerts.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw monitor.Error("alerts", $"'monitor.alerts' names '{duplicate.Key}' twice; each rule needs its own name");
        return new MonitorSpec(
            monitor.Number("p_value") ?? DefaultPValue,
            monitor.Number("drift_share") ?? DefaultDriftShare,
            statistic,
            thresholds,
            schedule,
            monitor.String("current"),
            monitor.String("reference"),
            alerts,
            WebhookSpec.Load(monitor),
            monitor.Strings("columns"));
    }
}

/// <summary>How urgent an alert is.</summary>
public enum AlertSeverity { Info, Warning, Critical }

/// <summary>
/// An alert rule: when its condition holds after a monitor run it fires (at most once per <see cref="Cooldown"/>;
/// the occurrences in between are counted on the alert that fired), and with <see cref="Retrain"/> it starts the
/// lifecycle pipeline (collecting <see cref="RetrainSource"/> again when named, else on the newest data).
/// </summary>
public sealed record AlertRule(string Name, AlertCondition When, AlertSeverity Severity, TimeSpan Cooldown, bool Retrain = false, string? RetrainSource = null)
{
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromHours(1);
    internal static readonly string[] Keys = ["name", "when", "severity", "cooldown", "retrain", "retrain_source"];

    internal static AlertRule Load(YamlMap rule)
    {
        var name = rule.String("name", required: true)!;
        var when = rule.String("when", required: true)!;
        AlertCondition condition;
        try
        {
            condition = AlertCondition.Parse(when);
        }
        catch (FormatException e)
        {
            throw rule.Error("when", $"'when' of alert '{name}': {e.Message}");
        }
        var severityText = rule.String("severity") ?? "warning";
        if (!Enum.TryParse<AlertSeverity>(severityText, ignoreCase: true, out var severity) || severityText.Any(char.IsUpper))
            throw rule.Error("severity", $"'severity' of alert '{name}' must be one of: info, warning, critical; got '{severityText}'");
        var cooldownText = rule.String("cooldown");
        var cooldown = DefaultCooldown;
        if (cooldownText is not null && !Durations.TryParse(cooldownText, out cooldown))
            throw rule.Error("cooldown", $"'cooldown' of alert '{name}' must be a duration such as 30m, 6h or 1d; got '{cooldownText}'");
        var source = rule.String("retrain_source");
        var retrain = rule.Bool("retrain") ?? source is not null;
        return new AlertRule(name, condition, severity, cooldown, retrain, source);
    }
}

/// <summary>
/// Where firing alerts are posted: a JSON POST signed with HMAC-SHA256 (<see cref="Secret"/>), retried
/// <see cref="Retries"/> times, each attempt given <see cref="TimeoutSeconds"/>. The address and the key are
/// <see cref="SecretReference"/>s: tend.yaml names where they are kept, and the API never shows them.
/// </summary>
public sealed record WebhookSpec(SecretReference Url, SecretReference Secret, int Retries = 3, double TimeoutSeconds = 5)
{
    internal static WebhookSpec? Load(YamlMap monitor)
    {
        if (monitor.Map("webhook", ["url", "secret", "retries", "timeout_seconds"]) is not { } hook)
            return null;
        var url = SecretReference.Load(hook, "url", "monitor.webhook.url");
        var secret = SecretReference.Load(hook, "secret", "monitor.webhook.secret");
        var retries = hook.Integer("retries") ?? 3;
        var timeout = hook.Number("timeout_seconds") ?? 5;
        if (retries is < 0 or > 10)
            throw hook.Error("retries", $"'monitor.webhook.retries' must be between 0 and 10; got {retries}");
        if (timeout is <= 0 or > 300)
            throw hook.Error("timeout_seconds", $"'monitor.webhook.timeout_seconds' must be above 0 and at most 300; got {timeout}");
        return new WebhookSpec(url, secret, retries, timeout);
    }
}

/// <summary>Durations written as a number and a unit: s, m, h or d (e.g. 30m, 24h).</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !(amount > 0))
            return false;
        switch (text[^1])
        {
            case 's': duration = TimeSpan.FromSeconds(amount); return true;
            case 'm': duration = TimeSpan.FromMinutes(amount); return true;
            case 'h': duration = TimeSpan.FromHours(amount); return true;
            case 'd': duration = TimeSpan.FromDays(amount); return true;
            default: return false;
        }
    }

    /// <summary>A duration as tend.yaml writes it, in the largest unit that holds it whole: 1h, 90s, 2d.</summary>
    public static string Text(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerDay == 0 ? $"{duration.Days}d"
        : duration.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)duration.TotalHours}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)duration.TotalMinutes}m"
        : $"{duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
