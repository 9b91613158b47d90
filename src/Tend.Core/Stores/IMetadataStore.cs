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
}
