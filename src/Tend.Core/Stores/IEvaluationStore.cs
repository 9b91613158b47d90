using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Stored evaluations, each written with its audit event.</summary>
public interface IEvaluationStore
{
    Task AddAsync(EvaluationRecord evaluation, AuditEntry audit, CancellationToken ct);

    /// <summary>A run's evaluations, newest first.</summary>
    Task<IReadOnlyList<EvaluationRecord>> ListAsync(string runId, CancellationToken ct);

    /// <summary>By id or a unique prefix of it.</summary>
    Task<EvaluationRecord?> GetAsync(string id, CancellationToken ct);
}
