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

/// <summary>
/// What the team commands act on: the local workspace's services (<see cref="LocalTend"/>), or a Tend server over
/// HTTP as the signed-in identity (<see cref="ServerTend"/>). Each command is written once, against this; the actor is
/// the backend's (<c>--as</c> or the OS user locally, the token's identity on a server).
/// </summary>
internal interface ITend : IAsyncDisposable
{
    /// <summary>The project the workspace or server serves (tend.yaml, as loaded).</summary>
    Task<ProjectSpec> ProjectAsync(CancellationToken ct);

    Task<RunPage> RunsAsync(string? where, string? orderBy, int offset, int limit, CancellationToken ct);

    Task<Run> RunAsync(string id, CancellationToken ct);

    Task<MetricHistory> MetricAsync(string id, string key, int maxPoints, CancellationToken ct);

    Task<RunComparison> CompareAsync(IReadOnlyList<string> ids, bool diffOnly, CancellationToken ct);

    /// <summary>Adds tags or a note to a run, at any time; the run as it is after.</summary>
    Task<Run> AnnotateAsync(string id, RunLog annotation, CancellationToken ct);

    Task<Run> EndRunAsync(string id, RunStatus status, string? reason, CancellationToken ct);

    Task<DeletedRun> DeleteRunAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<ModelVersion>> ModelsAsync(CancellationToken ct);

    /// <summary>NAME (the champion), NAME@VERSION or NAME@ALIAS.</summary>
    Task<ModelVersion> ModelAsync(string reference, CancellationToken ct);

    Task<ModelVersion> RegisterAsync(string runId, string description, CancellationToken ct);

    Task<ModelVersion> UpdateModelAsync(string reference, string? description, IReadOnlyDictionary<string, string> tags, CancellationToken ct);

    Task<Promotion> PromoteAsync(string name, int version, string alias, string reason, bool force, CancellationToken ct);

    Task<Promotion> DecideAsync(string requestId, bool approve, string reason, CancellationToken ct);

    Task<IReadOnlyList<ApprovalRequest>> ApprovalsAsync(ApprovalStatus status, CancellationToken ct);

    Task<Promotion> RollbackAsync(string name, string reason, CancellationToken ct);

    Task<IReadOnlyList<AliasMove>> AliasMovesAsync(string name, string? alias, CancellationToken ct);

    Task<Lineage> LineageAsync(string reference, CancellationToken ct);

    Task<DeploymentStatus> DeploymentAsync(string model, TimeSpan window, CancellationToken ct);

    Task<Deployment> DeployAsync(string model, int? canary, double? percent, int? shadow, string reason, CancellationToken ct);

    Task<Promotion> PromoteCanaryAsync(string model, string reason, bool force, CancellationToken ct);

    Task<Deployment> RollbackDeploymentAsync(string model, string reason, CancellationToken ct);

    /// <summary>The model's active release, else its latest.</summary>
    Task<Release> ReleaseAsync(string model, CancellationToken ct);

    Task<Release> StartReleaseAsync(string model, int version, string reason, CancellationToken ct);

    Task<Release> ActOnReleaseAsync(string model, ReleaseAction action, string reason, CancellationToken ct);

    Task<IReadOnlyList<DatasetVersion>> DatasetsAsync(CancellationToken ct);

    /// <summary>NAME (the newest) or NAME@VERSION.</summary>
    Task<DatasetVersion> DatasetAsync(string reference, CancellationToken ct);

    Task<DatasetDiff> DiffAsync(string reference, string other, CancellationToken ct);

    Task<Ingest> AddDataAsync(DataAddition addition, CancellationToken ct);

    /// <summary>Runs the monitor, stores its report, and checks tend.yaml's alert rules against it.</summary>
    Task<MonitorRun> MonitorAsync(MonitorRequest request, CancellationToken ct);

    /// <summary>The stored monitor reports, oldest first.</summary>
    Task<IReadOnlyList<MonitorReport>> ReportsAsync(CancellationToken ct);

    /// <summary>A report by its id or a prefix of six or more characters; without one, the newest.</summary>
    Task<MonitorReport> ReportAsync(string? id, CancellationToken ct);

    Task<IReadOnlyList<Alert>> AlertsAsync(bool all, CancellationToken ct);

    Task<Alert> AcknowledgeAsync(string id, string reason, CancellationToken ct);

    /// <summary>Makes a token of <paramref name="subject"/> (null: whoever acts); its secret is in the answer alone.</summary>
    Task<MadeToken> CreateTokenAsync(string name, string? subject, TokenKind kind, IReadOnlyList<Permission> scopes, int days, CancellationToken ct);

    /// <summary>The tokens, never a secret: every one locally; on a server, the caller's own, or everyone's for an admin of every project.</summary>
    Task<IReadOnlyList<ApiToken>> TokensAsync(CancellationToken ct);

    Task<ApiToken> RevokeTokenAsync(string id, CancellationToken ct);

    Task<IReadOnlyList<Grant>> GrantsAsync(string? subject, CancellationToken ct);

    /// <summary>Grants <paramref name="role"/> in <paramref name="project"/>, or takes it back.</summary>
    Task<GrantChange> SetGrantAsync(string subject, string project, Role role, bool granted, CancellationToken ct);

    /// <summary>The audit trail, oldest first; <paramref name="subject"/> a prefix.</summary>
    Task<IReadOnlyList<AuditEvent>> AuditAsync(string? subject, DateTimeOffset? since, CancellationToken ct);
}
