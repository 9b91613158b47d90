using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Each model's deployment (canary and shadow beside the champion), every change audited with before and after.</summary>
public interface IDeploymentStore
{
    /// <summary>The model's deployment, or null when it was never changed (the champion alone).</summary>
    Task<Deployment?> GetAsync(string model, CancellationToken ct);

    Task SaveAsync(Deployment deployment, AuditEntry audit, CancellationToken ct);
}
