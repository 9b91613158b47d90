using Tend.Core.Artifacts;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Data.Versions;
using Tend.Registry;
using Tend.Serving;
using Tend.Storage.Sql;

namespace Tend.Pipelines.Composition;

/// <summary>
/// The stores a process opened from its <see cref="TendOptions"/> and the services over them, each built once here.
/// Only Tend.Pipelines sees it: the front ends get these services from the container <see cref="TendServices.AddTend"/> fills.
/// </summary>
internal sealed class Backends : IAsyncDisposable
{
    private Backends(IMetadataStore store, IArtifactStore artifacts)
    {
        Store = store;
        Artifacts = artifacts;
        Datasets = new DatasetCatalog(store.Datasets, artifacts);
        Registry = new ModelRegistry(store, artifacts);
        Deployments = new Deployments(store, Registry);
        Models = new ModelLoader(Registry, artifacts);
    }

    public IMetadataStore Store { get; }
    public IArtifactStore Artifacts { get; }
    public DatasetCatalog Datasets { get; }
    public ModelRegistry Registry { get; }
    public Deployments Deployments { get; }
    public ModelLoader Models { get; }

    /// <summary>Opens the metadata store (applying the migrations it lacks) and the artifact store.</summary>
    public static async Task<Backends> OpenAsync(TendOptions options, CancellationToken ct)
    {
        var artifacts = OpenArtifacts(options.ArtifactsUri);
        return new Backends(await SqlMetadataStore.OpenAsync(options.StoreUri, ct), artifacts);
    }

    private static FileArtifactStore OpenArtifacts(string uri) =>
        uri.StartsWith("file://", StringComparison.Ordinal)
            ? new FileArtifactStore(uri["file://".Length..])
            : throw TendException.BadUsage($"unsupported artifact store '{uri}'; the scheme must be one of: file");

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
