using System.Collections.Concurrent;
using Tend.Core.Artifacts;
using Tend.Registry;
using Tend.Training.Models;

namespace Tend.Serving;

/// <summary>Keeps the champion of each model loaded; when the alias moves, the next request after <see cref="AliasRefresh"/> gets the new version (hot swap, no restart).</summary>
public sealed class ModelHost(ModelRegistry registry, IArtifactStore artifacts)
{
    /// <summary>How stale the alias lookup may be: a second keeps the store off the hot path while a promotion shows almost at once.</summary>
    public static readonly TimeSpan AliasRefresh = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Name, int Version), Task<ServedModel>> _loaded = new();
    private readonly ConcurrentDictionary<string, (DateTimeOffset Checked, int Version)> _champions = new();

    /// <summary>The champion of <paramref name="name"/>, or the version named.</summary>
    public async Task<ServedModel> GetAsync(string name, int? version, CancellationToken ct) =>
        version is { } number ? await LoadedAsync(name, number) : await GetAsync(name, ct);

    public async Task<ServedModel> GetAsync(string name, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        if (!_champions.TryGetValue(name, out var known) || now - known.Checked > AliasRefresh)
        {
            var version = await registry.ResolveAsync(new ModelReference(name, null, ModelRegistry.Champion), ct);
            known = (now, version.Version);
            _champions[name] = known;
        }
        return await LoadedAsync(name, known.Version);
    }

    private async Task<ServedModel> LoadedAsync(string name, int version)
    {
        var key = (name, version);
        try
        {
            return await _loaded.GetOrAdd(key, k => LoadAsync(k.Name, k.Version));
        }
        catch
        {
            _loaded.TryRemove(key, out _);
            throw;
        }
    }

    private async Task<ServedModel> LoadAsync(string name, int number)
    {
        var version = await registry.ResolveAsync(new ModelReference(name, number, null), CancellationToken.None);
        return new ServedModel(version, await TrainedModel.LoadAsync(artifacts, version.Artifact, CancellationToken.None));
    }
}
