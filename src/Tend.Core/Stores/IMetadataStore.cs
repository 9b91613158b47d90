namespace Tend.Core.Stores;

/// <summary>The metadata of the projects in one database: one store per aggregate.</summary>
public interface IMetadataStore : IAsyncDisposable
{
    IDatasetStore Datasets { get; }
    IRunStore Runs { get; }
    IModelStore Models { get; }
    IEvaluationStore Evaluations { get; }
    IApprovalStore Approvals { get; }
    IDeploymentStore Deployments { get; }
    IAuditLog Audit { get; }
    IPredictionStore Predictions { get; }
    IMonitorStore Monitors { get; }
    IAlertStore Alerts { get; }
    IPipelineStore Pipelines { get; }
    IProjectStore Projects { get; }
    IAccessStore Access { get; }
    IReleaseStore Releases { get; }
    Execution.IJobStore Jobs { get; }

    /// <summary>
    /// Which stored artifacts something refers to, in one query over every owner: runs' artifacts, model versions,
    /// dataset versions (data and profile) and evaluations' reports. Only those among <paramref name="artifacts"/>; all when null.
    /// </summary>
    Task<IReadOnlySet<string>> ReferencedArtifactsAsync(IReadOnlyCollection<string>? artifacts, CancellationToken ct);

    /// <summary>What the database finds wrong with its own pages and indexes (SQLite's integrity_check); empty when nothing, or when it keeps them itself (PostgreSQL).</summary>
    Task<IReadOnlyList<string>> IntegrityProblemsAsync(CancellationToken ct);
}
