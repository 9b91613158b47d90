using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Pipelines.Services;

/// <summary>The audit trail, for the front ends: its events and the check of its hash chain.</summary>
public sealed class AuditService
{
    private readonly IAuditLog _audit;

    internal AuditService(IMetadataStore store) => _audit = store.Audit;

    /// <summary>Events oldest first; those of one subject, or since a time, when given.</summary>
    public Task<IReadOnlyList<AuditEvent>> ListAsync(CancellationToken ct, string? subject = null, DateTimeOffset? since = null) => _audit.ListAsync(ct, subject, since);

    /// <summary>Whether the chain is intact, and where it first breaks when it is not.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct) => AuditVerification.Of(await _audit.ListAsync(ct));
}
