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

/// <summary>
/// Where a model version comes from and what happened to it since, in order: the dataset versions (the one it trained on,
/// then each parent it extends), the run, its evaluations, the approval requests, every move of an alias to or from it,
/// and every deployment change that made it a canary or shadow or ended that.
/// </summary>
public sealed record Lineage(
    ModelVersion Model,
    IReadOnlyList<LineageDataset> Datasets,
    LineageRun Run,
    IReadOnlyList<EvaluationRecord> Evaluations,
    IReadOnlyList<ApprovalRequest> Approvals,
    IReadOnlyList<AliasMove> AliasMoves,
    IReadOnlyList<LineageDeployment> Deployments)
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
            evaluations, approvals, moves, await DeploymentsAsync(store, model, ct));
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
