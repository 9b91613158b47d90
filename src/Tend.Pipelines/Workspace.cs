using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Versions;
using Tend.Registry;
using Tend.Storage.Sql;

namespace Tend.Pipelines;

/// <summary>One project on disk: its tend.yaml, its metadata store and its artifact store, with the stage services over them.</summary>
public sealed class Workspace : IAsyncDisposable
{
    public const string StateFolder = ".tend";
    public const string StoreVariable = "TEND_STORE";
    public const string ArtifactsVariable = "TEND_ARTIFACTS";

    private Workspace(string root, ProjectSpec spec, IMetadataStore store, IArtifactStore artifacts, string actor)
    {
        Actor = actor;
        Root = root;
        Spec = spec;
        Store = store;
        Artifacts = artifacts;
        Datasets = new DatasetCatalog(store.Datasets, artifacts);
        Registry = new ModelRegistry(store, artifacts);
        Deployments = new Deployments(store, Registry);
    }

    public string Root { get; }
    public ProjectSpec Spec { get; }
    public IMetadataStore Store { get; }
    public IArtifactStore Artifacts { get; }
    public DatasetCatalog Datasets { get; }
    public ModelRegistry Registry { get; }

    /// <summary>Canary and shadow beside each model's champion.</summary>
    public Deployments Deployments { get; }

    public const string UserVariable = "TEND_USER";

    /// <summary>Who acts through this workspace, for the audit trail and the four-eyes rule.</summary>
    public string Actor { get; }

    /// <summary>The actor when none is named (the CLI's actor option, the request's identity on the server): TEND_USER, else the OS user.</summary>
    public static string DefaultActor => Environment.GetEnvironmentVariable(UserVariable) is { Length: > 0 } user ? user : Environment.UserName;

    /// <summary>The same workspace acting as someone else (the server: one per request). It shares the stores, so dispose only the original.</summary>
    public Workspace As(string actor) => new(Root, Spec, Store, Artifacts, actor);

    /// <summary>Opens the workspace at <paramref name="root"/>; the backends come from TEND_STORE and TEND_ARTIFACTS, else the embedded default in <c>.tend/</c>.</summary>
    public static async Task<Workspace> OpenAsync(string root, CancellationToken ct, string? actor = null)
    {
        root = Path.GetFullPath(root);
        var spec = SpecLoader.LoadFile(Path.Combine(root, SpecLoader.FileName));
        var state = Path.Combine(root, StateFolder);
        var storeUri = Environment.GetEnvironmentVariable(StoreVariable) is { Length: > 0 } s ? s : $"sqlite://{Path.Combine(state, "tend.db")}";
        var artifactsUri = Environment.GetEnvironmentVariable(ArtifactsVariable) is { Length: > 0 } a ? a : $"file://{Path.Combine(state, "artifacts")}";
        var artifacts = OpenArtifacts(artifactsUri);
        return new Workspace(root, spec, await SqlMetadataStore.OpenAsync(storeUri, ct), artifacts, actor ?? DefaultActor);
    }

    public async Task<Run> GetRunAsync(string id, CancellationToken ct) =>
        await Store.Runs.GetAsync(id, ct) ?? throw TendException.NotFound($"run '{id}' not found; 'tend runs list' shows the runs");

    private static IArtifactStore OpenArtifacts(string uri) =>
        uri.StartsWith("file://", StringComparison.Ordinal)
            ? new FileArtifactStore(uri["file://".Length..])
            : throw TendException.BadUsage($"unsupported artifact store '{uri}'; the scheme must be one of: file");

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
