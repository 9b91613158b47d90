using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>The alert history: each firing with its deliveries, repeats and acknowledgement; changes audited.</summary>
public interface IAlertStore
{
    /// <summary>Stores a new alert, or saves a changed one (a repeat, a delivery, an acknowledgement), with its audit entry.</summary>
    Task SaveAsync(Alert alert, AuditEntry? audit, CancellationToken ct);

    Task<Alert?> GetAsync(string id, CancellationToken ct);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<Alert>> ListAsync(CancellationToken ct);
}
