using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Registry;

/// <summary>Registers finished runs as model versions, describes and tags them, and resolves references; every change audited with its actor.</summary>
public sealed partial class ModelRegistry(IMetadataStore store, IArtifactStore artifacts)
{
    public const string Champion = "champion";

    public async Task<ModelVersion> RegisterAsync(Run run, string actor, CancellationToken ct, string description = "")
    {
        TextLimit.Check("description", description);
        if (run.Status != RunStatus.Finished)
            throw new TendException(ErrorCode.Conflict, $"run {run.Id} is {run.Status.ToString().ToLowerInvariant()}; only a finished run can be registered");
        if (!run.Artifacts.TryGetValue("model", out var artifact))
            throw new TendException(ErrorCode.Conflict, $"run {run.Id} has no model artifact");
        string checksum;
        await using (var stream = await artifacts.GetAsync(artifact, ct))
            checksum = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        var version = new ModelVersion(run.Project, 0, run.Id, artifact, checksum, run.Dataset, run.Metrics, DateTimeOffset.UtcNow, [], description, Actor: actor);
        return await store.Models.RegisterAsync(version, new AuditEntry(actor, "model.register", run.Project, $"registered from run {run.Id}"), ct);
    }

    /// <summary>Sets the description (when given) and tags (an empty value removes a tag) of a version.</summary>
    public async Task<ModelVersion> UpdateAsync(ModelReference reference, string? description, IReadOnlyDictionary<string, string> tags, string actor, CancellationToken ct)
    {
        TextLimit.Check("description", description);
        TextLimit.Check("tags", tags);
        var before = await ResolveAsync(reference, ct);
        var merged = new Dictionary<string, string>(before.Tags);
        foreach (var (key, value) in tags)
            if (value.Length == 0) merged.Remove(key); else merged[key] = value;
        var after = before with { Description = description ?? before.Description, Tags = merged };
        await store.Models.UpdateAsync(after, new AuditEntry(actor, "model.update", $"{after.Name}@{after.Version}",
            string.Join("; ", new[] { description is null ? null : "description set", tags.Count == 0 ? null : $"tags {string.Join(", ", tags.Keys)}" }.OfType<string>()),
            TendJson.Serialize(new { before.Description, before.Tags }), TendJson.Serialize(new { after.Description, after.Tags })), ct);
        return after;
    }

    /// <summary>Every registered version, with its aliases, oldest first; or those of one model.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListAsync(CancellationToken ct, string? name = null)
    {
        var versions = await store.Models.ListAsync(ct);
        return name is null ? versions : versions.Where(v => v.Name == name).ToList();
    }

    /// <summary>Where <paramref name="version"/> came from: its run, the dataset versions behind it, and its deployment history.</summary>
    public Task<Lineage> LineageAsync(ModelVersion version, CancellationToken ct) => Lineage.OfAsync(store, version, ct);

    public async Task<ModelVersion> ResolveAsync(ModelReference reference, CancellationToken ct)
    {
        if (reference.Version is { } number)
            return await store.Models.GetAsync(reference.Name, number, ct)
                ?? throw TendException.NotFound($"model {reference} not found; 'tend models list' shows the versions");
        var alias = await store.Models.GetAliasAsync(reference.Name, reference.Alias ?? Champion, ct);
        if (alias is not null)
            return (await store.Models.GetAsync(reference.Name, alias.Version, ct))!;
        if (reference.Alias is not null)
            throw TendException.NotFound($"model {reference.Name} has no alias '{reference.Alias}'");
        return (await store.Models.ListAsync(ct)).LastOrDefault(m => m.Name == reference.Name)
            ?? throw TendException.NotFound($"model '{reference.Name}' has no registered version; run 'tend models register RUN'");
    }

    private async Task<ModelVersion> GetAsync(string name, int version, CancellationToken ct) =>
        await store.Models.GetAsync(name, version, ct) ?? throw TendException.NotFound($"model {name}@{version} not found; 'tend models list' shows the versions");

    private static void CheckAlias(string alias)
    {
        if (!AliasPattern().IsMatch(alias))
            throw TendException.BadUsage($"alias '{TextLimit.Excerpt(alias)}' is not valid; use up to 64 lower-case letters, digits, '-' and '_', starting with a letter");
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,63}$")]
    private static partial Regex AliasPattern();
}
