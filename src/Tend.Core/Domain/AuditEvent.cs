namespace Tend.Core.Domain;

/// <summary>An append-only record of a state change; <see cref="Hash"/> chains it to the event before, so tampering shows.</summary>
public sealed record AuditEvent(
    long Sequence,
    DateTimeOffset Time,
    string Actor,
    string Action,
    string Subject,
    string Reason,
    string PreviousHash,
    string Hash,
    string? Before = null,
    string? After = null);

/// <summary>What a caller says happened, with the subject's state before and after as JSON where it has one; the store adds sequence, time and hashes.</summary>
public sealed record AuditEntry(string Actor, string Action, string Subject, string Reason, string? Before = null, string? After = null);
