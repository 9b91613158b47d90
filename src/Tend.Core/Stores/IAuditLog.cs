using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>The append-only, hash-chained record of every state change.</summary>
public interface IAuditLog
{
    Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken ct);

    /// <summary>Events in order; with <paramref name="subject"/>, those whose subject starts with it; with <paramref name="since"/>, those at or after it.</summary>
    Task<IReadOnlyList<AuditEvent>> ListAsync(CancellationToken ct, string? subject = null, DateTimeOffset? since = null);
}
