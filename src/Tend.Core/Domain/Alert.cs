using Tend.Core.Spec;

namespace Tend.Core.Domain;

/// <summary>
/// One firing of an alert rule: which rule, how urgent, when, on which monitor report, the value it read and why it
/// fired. Later runs where the rule held again within its cooldown count as <see cref="Occurrences"/> instead of new
/// alerts. <see cref="Deliveries"/> say how each channel took it; <see cref="PipelineRun"/> names the retraining it
/// started. Someone acknowledges it once it is handled.
/// </summary>
public sealed record Alert(
    string Id,
    string Rule,
    AlertSeverity Severity,
    DateTimeOffset Fired,
    string ReportId,
    string Model,
    string Condition,
    string? Value,
    string Message,
    int Occurrences = 1,
    DateTimeOffset? LastSeen = null,
    IReadOnlyList<AlertDelivery>? Deliveries = null,
    string? PipelineRun = null,
    DateTimeOffset? Acknowledged = null,
    string? AcknowledgedBy = null)
{
    public bool Open => Acknowledged is null;
}

/// <summary>How one channel took an alert: delivered or not, after how many attempts, and the last error.</summary>
public sealed record AlertDelivery(string Channel, bool Delivered, int Attempts, string? Error = null);
