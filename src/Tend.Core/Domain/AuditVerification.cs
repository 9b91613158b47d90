namespace Tend.Core.Domain;

/// <summary>The check of the audit trail's hash chain: whether it holds, over how many events, the first broken one, and the head hash to keep elsewhere as an anchor.</summary>
public sealed record AuditVerification(bool Intact, int Events, long? FirstBroken, string Head)
{
    public static AuditVerification Of(IReadOnlyList<AuditEvent> events)
    {
        var broken = AuditHash.FirstBroken(events);
        return new AuditVerification(broken is null, events.Count, broken?.Sequence, events.Count == 0 ? AuditHash.Genesis : events[^1].Hash);
    }
}
