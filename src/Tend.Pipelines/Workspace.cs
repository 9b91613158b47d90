using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Pipelines;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Versions;
using Tend.Pipelines.Composition;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Serving;

namespace Tend.Pipelines;

/// <summary>
/// One project on disk, the local face of it: its folder, its tend.yaml, and who acts. The stages run in it; the front
/// ends reach the stores only through the services <see cref="TendServices.AddTend"/> registers.
/// </summary>
public sealed class Workspace : IAsyncDisposable
{
    private Workspace(string root, ProjectSpec spec, Backends backends, string actor)
    {
        Actor = actor;
        Root = root;
        Spec = spec;
        Backends = backends;
    }

    public string Root { get; }
    public ProjectSpec Spec { get; }

    internal Backends Backends { get; }
    internal IMetadataStore Store => Backends.Store;
    internal IArtifactStore Artifacts => Backends.Artifacts;

    /// <summary>The store's folder for temporary files: this process's own, removed by a later one if this one dies.</summary>
    public TempFolder Temp => Backends.Artifacts.Temp;
    internal DatasetCatalog Datasets => Backends.Datasets;
    internal ModelRegistry Registry => Backends.Registry;
    internal Deployments Deployments => Backends.Deployments;
    internal ModelLoader Models => Backends.Models;

    /// <summary>
    /// The clock of what waits, refreshes, expires or fires here (a fake one in tests). Not the host's TimeProvider: the
    /// web server keeps the real clock for its own timers.
    /// </summary>
    public TimeProvider Time => Backends.Time;

    public const string UserVariable = "TEND_USER";

    /// <summary>Who acts through this workspace, for the audit trail and the four-eyes rule.</summary>
    public string Actor { get; }

    /// <summary>The actor when none is named (the CLI's actor option, the request's identity on the server): TEND_USER, else the OS user.</summary>
    public static string DefaultActor => Environment.GetEnvironmentVariable(UserVariable) is { Length: > 0 } user ? user : Environment.UserName;

    /// <summary>The same workspace acting as someone else (the server: one per request). It shares the stores, so dispose only the original.</summary>
    public Workspace As(string actor) => new(Root, Spec, Backends, actor) { Jobs = Jobs };

    /// <summary>Where this process hands jobs to be run (a search's trials); null: it runs them itself.</summary>
    public Jobs.JobDispatch? Jobs { get; init; }

    /// <summary>The same workspace handing its jobs to <paramref name="dispatch"/>.</summary>
    public Workspace Handing(Jobs.JobDispatch dispatch) => new(Root, Spec, Backends, Actor) { Jobs = dispatch };

    /// <summary>The same workspace as a job's attempt sees it: each of its run writes first checks the attempt is still the job's latest.</summary>
    internal Workspace Fenced(Jobs.JobAttempt attempt) => new(Root, Spec, Backends.Over(new Jobs.FencedStore(Store, attempt)), Actor);

    /// <summary>
    /// Opens the workspace at <paramref name="root"/>; the backends come from TEND_STORE and TEND_ARTIFACTS, else the
    /// embedded default in <c>.tend/</c>. Its tend.yaml is recorded as the project's current revision (a store an older
    /// tend wrote gets its project registered so). <paramref name="time"/> is the clock (a fake one in tests).
    /// </summary>
    public static Task<Workspace> OpenAsync(string root, CancellationToken ct, string? actor = null, TimeProvider? time = null) =>
        OpenAsync(root, TendOptions.ForFolder(root), ct, actor, time);

    /// <summary>Opens the workspace at <paramref name="root"/> on the backends <paramref name="options"/> name.</summary>
    public static async Task<Workspace> OpenAsync(string root, TendOptions options, CancellationToken ct, string? actor = null, TimeProvider? time = null)
    {
        root = Path.GetFullPath(root);
        var path = Path.Combine(root, SpecLoader.FileName);
        var text = SpecLoader.ReadFile(path);
        var spec = SpecLoader.Parse(text, path);
        var backends = await Backends.OpenAsync(options, time ?? TimeProvider.System, ct);
        var workspace = new Workspace(root, spec, backends, actor ?? DefaultActor);
        try
        {
            await backends.Projects.RecordAsync(spec, text, root, workspace.Actor, ct);
        }
        catch
        {
            await backends.DisposeAsync();
            throw;
        }
        return workspace;
    }

    /// <summary>Another project of the same store, acting in the folder its current revision was read from (the server's schedules run there).</summary>
    public Workspace For(StoredProject project) =>
        new(project.Current.Folder, project.Spec ?? throw new TendException(ErrorCode.InvalidData, project.Problem!), Backends, Actor) { Jobs = Jobs };

    /// <summary>A file of this machine's cache for the project (<c>.tend/cache/NAME</c>): what can be computed again, never the store.</summary>
    internal string CacheFile(string name) => Path.Combine(Root, TendOptions.StateFolder, "cache", name);

    /// <summary>Content hashes through the project's (path, size, time) memo.</summary>
    internal ContentHashes ContentHashes() => new(CacheFile("content-hashes.json"), Time);

    internal Task<Run> GetRunAsync(string id, CancellationToken ct) => RunService.GetAsync(Store.Runs, Time, id, ct);

    /// <summary>The project's champion, or null when no version is.</summary>
    internal async Task<ModelVersion?> ChampionAsync(CancellationToken ct)
    {
        try
        {
            return await Registry.ResolveAsync(new ModelReference(Spec.Name, null, null), ct);
        }
        catch (TendException e) when (e.Code == ErrorCode.NotFound)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => Backends.DisposeAsync();
}
