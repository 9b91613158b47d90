using System.Collections.Concurrent;
using Tend.Core.Domain;
using Tend.Core.Stores;
using Tend.Registry;

namespace Tend.Serving;

/// <summary>
/// Keeps the champion of each model loaded; when the alias moves, the next request after <see cref="AliasRefresh"/> gets
/// the new version (hot swap, no restart), and the old champion is let go (requests already holding it finish with it).
/// A version is loaded once, its sha256 checked against the registry's, and warmed up with one prediction before any
/// request uses it. A version let go is disposed once no request holds a lease on it. <paramref name="loaded"/> hears of
/// each load and how long it took; <paramref name="time"/> decides when a lookup is stale.
/// </summary>
public sealed class ModelHost(ModelRegistry registry, ModelLoader loader, IDeploymentStore deployments,
    Action<ServedModel, TimeSpan>? loaded = null, TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The clock of the host's lookups, and of the times the log records of what it serves carry.</summary>
    public TimeProvider Time => _time;

    private readonly ConcurrentDictionary<string, (DateTimeOffset Checked, Deployment Deployment)> _deployments = new();

    /// <summary>The model's deployment (canary, shadow), read from the store at most once every <see cref="AliasRefresh"/>.</summary>
    public async Task<Deployment> DeploymentAsync(string name, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_deployments.TryGetValue(name, out var known) && now - known.Checked <= AliasRefresh)
            return known.Deployment;
        var deployment = await deployments.GetAsync(name, ct) ?? Deployment.PrimaryOnly(name);
        _deployments[name] = (now, deployment);
        return deployment;
    }

    /// <summary>How stale the alias lookup may be: a second keeps the store off the hot path while a promotion shows almost at once.</summary>
    public static readonly TimeSpan AliasRefresh = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Name, int Version), Task<ServedModel>> _loaded = new();
    private readonly ConcurrentDictionary<string, (DateTimeOffset Checked, int Version)> _champions = new();

    /// <summary>The champion of <paramref name="name"/>, or the version named.</summary>
    public async Task<ServedModel> GetAsync(string name, int? version, CancellationToken ct) =>
        version is { } number ? await LoadedAsync(name, number) : await GetAsync(name, ct);

    public async Task<ServedModel> GetAsync(string name, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (!_champions.TryGetValue(name, out var known) || now - known.Checked > AliasRefresh)
        {
            var version = await registry.ResolveAsync(new ModelReference(name, null, ModelRegistry.Champion), ct);
            var previous = _champions.TryGetValue(name, out var before) ? before.Version : (int?)null;
            known = (now, version.Version);
            _champions[name] = known;
            if (previous is { } old && old != version.Version && _loaded.TryRemove((name, old), out var evicted))
                Release(evicted);
        }
        return await LoadedAsync(name, known.Version);
    }

    /// <summary>
    /// The model to score with (the champion of <paramref name="name"/>, or the version named), leased until the
    /// request disposes the lease. A version let go between the lookup and the lease is looked up again.
    /// </summary>
    public async Task<ModelLease> LeaseAsync(string name, int? version, CancellationToken ct)
    {
        while (true)
        {
            var served = await GetAsync(name, version, ct);
            if (served.TryLease())
                return new ModelLease(served);
        }
    }

    /// <summary>Gives back the host's own lease of a version it lets go, once that version has loaded.</summary>
    private static void Release(Task<ServedModel> loading) =>
        loading.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Lets every loaded version go (the server is stopping).</summary>
    public void Dispose()
    {
        foreach (var key in _loaded.Keys)
            if (_loaded.TryRemove(key, out var evicted))
                Release(evicted);
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
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var served = await loader.LoadAsync(new ModelReference(name, number, null), CancellationToken.None);
        served.WarmUp();
        loaded?.Invoke(served, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return served;
    }
}
