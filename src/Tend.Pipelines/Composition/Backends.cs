using Tend.Core.Artifacts;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Data.Versions;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Serving;
using Tend.Storage.S3;
using Tend.Storage.Sql;

namespace Tend.Pipelines.Composition;

/// <summary>
/// The stores a process opened from its <see cref="TendOptions"/> and the services over them, each built once here.
/// Only Tend.Pipelines sees it: the front ends get these services from the container <see cref="TendServices.AddTend"/> fills.
/// </summary>
internal sealed class Backends : IAsyncDisposable
{
    private Backends(string storeUri, IMetadataStore store, IArtifactStore artifacts, TimeProvider time)
    {
        StoreUri = storeUri;
        Store = store;
        Artifacts = artifacts;
        Time = time;
        Datasets = new DatasetCatalog(store.Datasets, artifacts);
        Registry = new ModelRegistry(store, artifacts);
        Deployments = new Deployments(store, Registry);
        Models = new ModelLoader(Registry, artifacts);
        Projects = new ProjectService(store, time);
    }

    /// <summary>Where the metadata store is (<see cref="TendOptions.StoreUri"/>).</summary>
    public string StoreUri { get; }

    public IMetadataStore Store { get; }
    public IArtifactStore Artifacts { get; }
    public DatasetCatalog Datasets { get; }
    public ModelRegistry Registry { get; }
    public Deployments Deployments { get; }
    public ModelLoader Models { get; }
    public ProjectService Projects { get; }

    /// <summary>What processes that died had left in the temp folder, removed when this one opened the store.</summary>
    public IReadOnlyList<string> TempSwept { get; private init; } = [];

    /// <summary>The clock of everything that waits, refreshes, expires or stamps a time (a fake one in tests).</summary>
    public TimeProvider Time { get; }

    /// <summary>Opens the metadata store (applying the migrations it lacks) and the artifact store, removing what processes that died left in its temp folder.</summary>
    public static async Task<Backends> OpenAsync(TendOptions options, TimeProvider time, CancellationToken ct)
    {
        var artifacts = OpenArtifacts(options);
        var swept = artifacts.Temp.Sweep();
        return new Backends(options.StoreUri, await SqlMetadataStore.OpenAsync(options.StoreUri, ct), artifacts, time) { TempSwept = swept };
    }

    /// <summary>The same stores seen through <paramref name="store"/> (a job attempt's fenced view); dispose only the original.</summary>
    public Backends Over(IMetadataStore store) => new(StoreUri, store, Artifacts, Time);

    private static IArtifactStore OpenArtifacts(TendOptions options)
    {
        var uri = options.ArtifactsUri;
        if (uri.StartsWith("file://", StringComparison.Ordinal))
            return new FileArtifactStore(uri["file://".Length..]);
        if (uri.StartsWith(S3ArtifactStore.Scheme, StringComparison.Ordinal))
            return S3ArtifactStore.Open(uri, new TempFolder(options.LocalTemp ?? Path.Combine(Path.GetTempPath(), $"tend-{Environment.UserName}")));
        throw TendException.BadUsage($"unsupported artifact store '{uri.Split('?')[0]}' ({TendOptions.ArtifactsVariable}); the scheme must be one of: file, s3");
    }

    public ValueTask DisposeAsync()
    {
        (Artifacts as IDisposable)?.Dispose();
        return Store.DisposeAsync();
    }
}
