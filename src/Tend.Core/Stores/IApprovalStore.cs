using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Requests to move an alias that wait for a second person.</summary>
public interface IApprovalStore
{
    Task AddAsync(ApprovalRequest request, AuditEntry audit, CancellationToken ct);

    /// <summary>By id or a unique prefix of it.</summary>
    Task<ApprovalRequest?> GetAsync(string id, CancellationToken ct);

    /// <summary>Oldest first; only those in <paramref name="status"/> when given.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalStatus? status, CancellationToken ct);

    /// <summary>
    /// Records the decision on a pending request and, when approved, makes <paramref name="move"/> with its audit event,
    /// all in one transaction. A request decided meanwhile is a conflict, so two approvers cannot both move the alias.
    /// </summary>
    Task DecideAsync(ApprovalRequest decided, AliasMove? move, AuditEntry audit, CancellationToken ct);
}
