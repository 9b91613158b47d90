using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Training runs: created when they start, saved again when they end.</summary>
public interface IRunStore
{
    /// <summary>Creates or updates the run; an audit event, when given, is written in the same transaction.</summary>
    Task SaveAsync(Run run, AuditEntry? audit, CancellationToken ct);

    /// <summary>The run whose id starts with <paramref name="idPrefix"/>; a conflict when the prefix names several.</summary>
    Task<Run?> GetAsync(string idPrefix, CancellationToken ct);

    Task<IReadOnlyList<Run>> ListAsync(CancellationToken ct);

    /// <summary>Removes the run, with its audit event in the same transaction; false when there was no such run.</summary>
    Task<bool> DeleteAsync(string id, AuditEntry audit, CancellationToken ct);
}
