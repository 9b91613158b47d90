using Tend.Core.Execution;
using Tend.Core.Stores;

namespace Tend.Pipelines.Jobs;

/// <summary>The metadata store as a job's attempt sees it: its runs fenced (<see cref="FencedRunStore"/>), the rest as they are. Disposing it leaves the store open.</summary>
internal sealed class FencedStore(IMetadataStore store, JobAttempt attempt) : IMetadataStore
{
    public IRunStore Runs { get; } = new FencedRunStore(store.Runs, attempt);
    public IDatasetStore Datasets => store.Datasets;
    public IModelStore Models => store.Models;
    public IEvaluationStore Evaluations => store.Evaluations;
    public IApprovalStore Approvals => store.Approvals;
    public IDeploymentStore Deployments => store.Deployments;
    public IAuditLog Audit => store.Audit;
    public IPredictionStore Predictions => store.Predictions;
    public IMonitorStore Monitors => store.Monitors;
    public IAlertStore Alerts => store.Alerts;
    public IPipelineStore Pipelines => store.Pipelines;
    public IProjectStore Projects => store.Projects;
    public IAccessStore Access => store.Access;
    public IReleaseStore Releases => store.Releases;
    public IJobStore Jobs => store.Jobs;

    public Task<IReadOnlySet<string>> ReferencedArtifactsAsync(IReadOnlyCollection<string>? artifacts, CancellationToken ct) => store.ReferencedArtifactsAsync(artifacts, ct);
    public Task<IReadOnlyList<string>> IntegrityProblemsAsync(CancellationToken ct) => store.IntegrityProblemsAsync(ct);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
