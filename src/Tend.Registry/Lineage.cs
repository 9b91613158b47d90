using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Registry;

/// <summary>One dataset version in a model's lineage: where it came from and the version it extends.</summary>
public sealed record LineageDataset(string Reference, string Source, int Rows, DateTimeOffset Created, string Actor, string? Parent, int SchemaRevision);

/// <summary>The run that trained the model: its trainer and parameters, preparation and split, code commit and environment.</summary>
public sealed record LineageRun(string Id, string Trainer, IReadOnlyDictionary<string, string> Params, IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Environment, DateTimeOffset Started, DateTimeOffset? Ended);

/// <summary>A change of the model's deployment that gave this version a role, or took it away: canary (with its share) or shadow.</summary>
public sealed record LineageDeployment(DateTimeOffset Time, string Actor, string Action, string Reason, string? Role, double? Percent);

/// <summary>A pipeline run that made a model version, its run or its training data: what started it, and what its steps made.</summary>
public sealed record LineagePipelineRun(string Id, string Pipeline, string Trigger, DateTimeOffset Started, PipelineState State, IReadOnlyDictionary<string, string> Made);

/// <summary>
/// Where a model version comes from and what happened to it since, in order: the dataset versions (the one it trained on,
/// then each parent it extends), the run, its evaluations, the approval requests, every move of an alias to or from it,
/// and every deployment change that made it a canary or shadow or ended that; and the <see cref="Pipelines"/> runs that
/// made it, its run or its training data.
/// </summary>
public sealed record Lineage(
    ModelVersion Model,
    IReadOnlyList<LineageDataset> Datasets,
    LineageRun Run,
    IReadOnlyList<EvaluationRecord> Evaluations,
    IReadOnlyList<ApprovalRequest> Approvals,
    IReadOnlyList<AliasMove> AliasMoves,
    IReadOnlyList<LineageDeployment> Deployments,
    IReadOnlyList<LineagePipelineRun>? Pipelines = null)
{
    /// <summary>At most this many ancestors of the training data are followed: enough to see where it came from.</summary>
    public const int MaxDatasetAncestors = 20;

    public static async Task<Lineage> OfAsync(IMetadataStore store, ModelVersion model, CancellationToken ct)
    {
        var run = await store.Runs.GetAsync(model.RunId, ct) ?? throw TendException.NotFound($"run {model.RunId} of {model.Name}@{model.Version} is gone");
        var datasets = new List<LineageDataset>();
        var (name, version) = DatasetVersion.ParseReference(model.Dataset);
        for (var d = await store.Datasets.GetAsync(name, version, ct); d is not null && datasets.Count <= MaxDatasetAncestors;
             d = d.Parent is { } parent ? await store.Datasets.GetAsync(d.Name, parent, ct) : null)
            datasets.Add(new LineageDataset(d.Reference, d.Source, d.Rows, d.Created, d.Actor, d.Parent, d.Schema.Revision));
        var approvals = (await store.Approvals.ListAsync(null, ct)).Where(a => a.Model == model.Name && a.Version == model.Version).ToList();
        var moves = (await store.Models.HistoryAsync(model.Name, null, ct)).Where(m => m.To == model.Version || m.From == model.Version).ToList();
        var evaluations = (await store.Evaluations.ListAsync(run.Id, ct)).Reverse().ToList();
        return new Lineage(model, datasets,
            new LineageRun(run.Id, run.Params.GetValueOrDefault("trainer", ""), run.Params, run.Metrics, run.Environment, run.Started, run.Ended),
            evaluations, approvals, moves, await DeploymentsAsync(store, model, ct), await PipelinesAsync(store, model, ct));
    }

    /// <summary>
    /// The pipeline runs of the model's project whose outputs name its run, its version or its training data (the
    /// lifecycle's run_id, model_version and dataset; a declared pipeline's run, model_version and dataset).
    /// </summary>
    private static async Task<IReadOnlyList<LineagePipelineRun>> PipelinesAsync(IMetadataStore store, ModelVersion model, CancellationToken ct)
    {
        var version = model.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        bool Made(IReadOnlyDictionary<string, string> outputs) =>
            outputs.GetValueOrDefault("run") == model.RunId || outputs.GetValueOrDefault("run_id") == model.RunId
            || outputs.GetValueOrDefault("model_version") == version || outputs.GetValueOrDefault("dataset") == model.Dataset;
        return [.. (await store.Pipelines.ListAsync(ct))
            .Where(r => (r.Project ?? model.Name) == model.Name && (Made(r.Outputs) || r.Steps.Any(s => s.Outputs is { } o && Made(o))))
            .Select(r => new LineagePipelineRun(r.Id, r.Name, r.Trigger, r.Started, r.Status,
                r.Steps.Where(s => s.Outputs is { } o && Made(o)).SelectMany(s => s.Outputs!.Where(o => o.Key is "dataset" or "run" or "model_version").Select(o => (Key: $"{s.Name}.{o.Key}", o.Value)))
                    .Concat(r.Pipeline is null ? r.Outputs.Where(o => o.Key is "dataset" or "run_id" or "model_version").Select(o => (o.Key, o.Value)) : [])
                    .ToDictionary(o => o.Key, o => o.Value)))];
    }

    /// <summary>The audited deployment changes whose before or after names this version as canary or shadow.</summary>
    private static async Task<IReadOnlyList<LineageDeployment>> DeploymentsAsync(IMetadataStore store, ModelVersion model, CancellationToken ct)
    {
        static Deployment? Read(string? json) => json is null ? null : TendJson.Deserialize<Deployment>(json);
        string? Role(Deployment? d) => d?.Canary == model.Version ? "canary" : d?.Shadow == model.Version ? "shadow" : null;
        var changes = new List<LineageDeployment>();
        foreach (var e in await store.Audit.ListAsync(ct, subject: $"{model.Name}@deployment"))
        {
            var (before, after) = (Read(e.Before), Read(e.After));
            if (Role(before) is null && Role(after) is null)
                continue;
            changes.Add(new LineageDeployment(e.Time, e.Actor, e.Action, e.Reason, Role(after), Role(after) == "canary" ? after!.CanaryPercent : null));
        }
        return changes;
    }
}
