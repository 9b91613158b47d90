using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Registered model versions, their aliases and every move of an alias.</summary>
public interface IModelStore
{
    /// <summary>Registers the next version number of <c>version.Name</c> (the given number is ignored) with its audit event.</summary>
    Task<ModelVersion> RegisterAsync(ModelVersion version, AuditEntry audit, CancellationToken ct);

    /// <summary>Replaces a version's description and tags (the rest of a version never changes), with its audit event.</summary>
    Task UpdateAsync(ModelVersion version, AuditEntry audit, CancellationToken ct);

    Task<ModelVersion?> GetAsync(string name, int version, CancellationToken ct);

    Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken ct);

    /// <summary>
    /// Points the alias at <c>move.To</c>, appends the move to the alias history and writes the audit event that
    /// <paramref name="audit"/> makes of it, in one transaction. The move's <c>From</c> is the alias's holder as read
    /// inside that transaction, whatever the caller read before: concurrent moves leave a history where each "from" is
    /// the "to" before it. Returns the move as recorded.
    /// </summary>
    Task<AliasMove> MoveAliasAsync(AliasMove move, Func<AliasMove, AuditEntry> audit, CancellationToken ct);

    Task<ModelAlias?> GetAliasAsync(string name, string alias, CancellationToken ct);

    /// <summary>Every move of the model's aliases (of one alias when given), oldest first.</summary>
    Task<IReadOnlyList<AliasMove>> HistoryAsync(string name, string? alias, CancellationToken ct);
}
