using Tend.Core.Domain;
using Tend.Core.Identity;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Registry;

namespace Tend.Cli.Backends;

/// <summary>The team commands on the embedded local store: the workspace's services in this process, as <c>--as</c> (or the OS user).</summary>
internal sealed class LocalTend(CliSession session) : ITend
{
    private Workspace Ws => session.Workspace;

    private string Actor => Ws.Actor;

    private RunService Runs => session.Get<RunService>();

    private ModelRegistry Registry => session.Get<ModelRegistry>();

    private Deployments Deployments => session.Get<Deployments>();

    private DatasetCatalog Datasets => session.Get<DatasetCatalog>();

    private MonitoringService Monitoring => session.Get<MonitoringService>();

    private AccessService Access => session.Get<AccessService>();

    public Task<ProjectSpec> ProjectAsync(CancellationToken ct) => Task.FromResult(Ws.Spec);

    public Task<RunPage> RunsAsync(string? where, string? orderBy, int offset, int limit, CancellationToken ct) =>
        Runs.QueryAsync(RunQuery.Parse(null, where, orderBy, offset, limit), ct);

    public Task<Run> RunAsync(string id, CancellationToken ct) => Runs.GetAsync(id, ct);

    public Task<MetricHistory> MetricAsync(string id, string key, int maxPoints, CancellationToken ct) => Runs.HistoryAsync(id, key, maxPoints, ct);

    public Task<RunComparison> CompareAsync(IReadOnlyList<string> ids, bool diffOnly, CancellationToken ct) => Runs.CompareAsync(ids, diffOnly, ct);

    public Task<Run> AnnotateAsync(string id, RunLog annotation, CancellationToken ct) => Runs.AnnotateAsync(id, annotation, ct);

    public Task<Run> EndRunAsync(string id, RunStatus status, string? reason, CancellationToken ct) => RunTracking.EndAsync(Ws, id, status, reason, ct);

    public Task<DeletedRun> DeleteRunAsync(string id, CancellationToken ct) => RunDeletion.DeleteAsync(Ws, id, Actor, ct);

    public Task<IReadOnlyList<ModelVersion>> ModelsAsync(CancellationToken ct) => Registry.ListAsync(ct);

    public Task<ModelVersion> ModelAsync(string reference, CancellationToken ct) => Registry.ResolveAsync(ModelReference.Parse(reference), ct);

    public async Task<ModelVersion> RegisterAsync(string runId, string description, CancellationToken ct) =>
        await Registry.RegisterAsync(await Runs.GetAsync(runId, ct), Actor, ct, description);

    public Task<ModelVersion> UpdateModelAsync(string reference, string? description, IReadOnlyDictionary<string, string> tags, CancellationToken ct) =>
        Registry.UpdateAsync(ModelReference.Parse(reference), description, tags, Actor, ct);

    public Task<Promotion> PromoteAsync(string name, int version, string alias, string reason, bool force, CancellationToken ct) =>
        Registry.PromoteAsync(name, version, alias, reason, Actor, ct, Ws.Spec.Approval, force);

    public Task<Promotion> DecideAsync(string requestId, bool approve, string reason, CancellationToken ct) => Registry.DecideAsync(requestId, approve, reason, Actor, ct);

    public Task<IReadOnlyList<ApprovalRequest>> ApprovalsAsync(ApprovalStatus status, CancellationToken ct) => Registry.ApprovalsAsync(status, ct);

    public Task<Promotion> RollbackAsync(string name, string reason, CancellationToken ct) => Registry.RollbackAsync(name, reason, Actor, ct);

    public Task<IReadOnlyList<AliasMove>> AliasMovesAsync(string name, string? alias, CancellationToken ct) => Registry.HistoryAsync(name, alias, ct);

    public async Task<Lineage> LineageAsync(string reference, CancellationToken ct) => await Registry.LineageAsync(await ModelAsync(reference, ct), ct);

    public Task<DeploymentStatus> DeploymentAsync(string model, TimeSpan window, CancellationToken ct) => DeploymentStatus.OfAsync(Ws, model, window, ct);

    public Task<Deployment> DeployAsync(string model, int? canary, double? percent, int? shadow, string reason, CancellationToken ct) =>
        Deployments.SetAsync(model, canary, percent, shadow, Actor, reason, ct);

    public Task<Promotion> PromoteCanaryAsync(string model, string reason, bool force, CancellationToken ct) =>
        Deployments.PromoteCanaryAsync(model, Actor, reason, Ws.Spec.Approval, force, ct);

    public Task<Deployment> RollbackDeploymentAsync(string model, string reason, CancellationToken ct) => Deployments.RollbackAsync(model, Actor, reason, ct);

    public async Task<Release> ReleaseAsync(string model, CancellationToken ct)
    {
        using var releases = new ReleaseController(Ws);
        return await releases.StatusAsync(model, ct);
    }

    public async Task<Release> StartReleaseAsync(string model, int version, string reason, CancellationToken ct)
    {
        using var releases = new ReleaseController(Ws);
        return await releases.StartAsync(model, version, reason, automatic: false, ct);
    }

    public async Task<Release> ActOnReleaseAsync(string model, ReleaseAction action, string reason, CancellationToken ct)
    {
        using var releases = new ReleaseController(Ws);
        return await releases.ActAsync(model, action, reason, ct);
    }

    public Task<IReadOnlyList<DatasetVersion>> DatasetsAsync(CancellationToken ct) => Datasets.ListAsync(ct);

    public Task<DatasetVersion> DatasetAsync(string reference, CancellationToken ct) => Datasets.GetAsync(reference, ct);

    public async Task<DatasetDiff> DiffAsync(string reference, string other, CancellationToken ct) =>
        await DatasetDiff.CompareAsync(Datasets, await Datasets.GetAsync(reference, ct), await Datasets.GetAsync(other, ct), Ws.Spec.Monitor, ct);

    public Task<Ingest> AddDataAsync(DataAddition addition, CancellationToken ct)
    {
        var (source, append) = addition.Open(Ws, ct);
        return Datasets.AddAsync(addition.Name ?? Ws.Spec.Name, source, new IngestOptions(Actor, Ws.Spec, append || addition.Append), ct);
    }

    public Task<MonitorRun> MonitorAsync(MonitorRequest request, CancellationToken ct) => MonitorStage.RunAndAlertAsync(Ws, request, _ => { }, ct);

    public Task<IReadOnlyList<MonitorReport>> ReportsAsync(CancellationToken ct) => Monitoring.ReportsAsync(ct);

    public Task<MonitorReport> ReportAsync(string? id, CancellationToken ct) => Monitoring.ReportAsync(id, ct);

    public Task<IReadOnlyList<Alert>> AlertsAsync(bool all, CancellationToken ct) => Monitoring.AlertsAsync(all, ct);

    public Task<Alert> AcknowledgeAsync(string id, string reason, CancellationToken ct) => Monitoring.AcknowledgeAsync(id, Actor, reason, ct);

    public Task<MadeToken> CreateTokenAsync(string name, string? subject, TokenKind kind, IReadOnlyList<Permission> scopes, int days, CancellationToken ct) =>
        Access.CreateTokenAsync(new TokenRequest(name, subject ?? Actor, kind, scopes, days), Actor, ct);

    public Task<IReadOnlyList<ApiToken>> TokensAsync(CancellationToken ct) => Access.TokensAsync(ct);

    public Task<ApiToken> RevokeTokenAsync(string id, CancellationToken ct) => Access.RevokeTokenAsync(id, Actor, ct);

    public Task<IReadOnlyList<Grant>> GrantsAsync(string? subject, CancellationToken ct) => Access.GrantsAsync(subject, ct);

    public Task<GrantChange> SetGrantAsync(string subject, string project, Role role, bool granted, CancellationToken ct) => Access.SetGrantAsync(subject, project, role, granted, Actor, ct);

    public Task<IReadOnlyList<AuditEvent>> AuditAsync(string? subject, DateTimeOffset? since, CancellationToken ct) => session.Get<AuditService>().ListAsync(ct, subject, since);

    public ValueTask DisposeAsync() => session.DisposeAsync();
}
