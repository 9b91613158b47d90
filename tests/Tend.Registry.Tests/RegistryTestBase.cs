using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Storage.Sql;

namespace Tend.Registry.Tests;

/// <summary>A registry on a real SQLite store and artifact folder, with helpers that register evaluated versions.</summary>
public abstract class RegistryTestBase : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("tend-registry-").FullName;
    protected SqlMetadataStore Store { get; private set; } = null!;
    protected ModelRegistry Registry { get; private set; } = null!;
    protected static readonly CancellationToken Ct = CancellationToken.None;

    public async Task InitializeAsync()
    {
        Store = await SqlMetadataStore.OpenAsync($"sqlite://{_root}/tend.db", Ct);
        var artifacts = new FileArtifactStore(Path.Combine(_root, "artifacts"));
        await artifacts.PutAsync("models/m.zip", new MemoryStream("model bytes"u8.ToArray()), Ct);
        Registry = new ModelRegistry(Store, artifacts);
    }

    /// <summary>Stores a finished run and registers it as the next version, with a stored evaluation that passed its gates against <paramref name="champion"/>.</summary>
    protected async Task<ModelVersion> EvaluatedAsync(int? champion = null, bool passed = true)
    {
        var run = Run();
        await Store.Runs.SaveAsync(run, null, Ct);
        await Store.Evaluations.AddAsync(new EvaluationRecord(Guid.NewGuid().ToString("N"), run.Id, "run", "spam@abc", DateTimeOffset.UtcNow, "alice", passed,
            run.Metrics, passed ? [] : ["auc 0.97 is below the bar 0.99"], champion, "evaluations/x.json"), new AuditEntry("alice", "evaluation.add", run.Id, "test"), Ct);
        return await Registry.RegisterAsync(run, "alice", Ct);
    }

    protected static Run Run(RunStatus status = RunStatus.Finished) =>
        new(Guid.NewGuid().ToString("N"), "spam", status, DateTimeOffset.UtcNow, null, "spam@abc", new Dictionary<string, string>(),
            new Dictionary<string, double> { ["auc"] = 0.97 }, new Dictionary<string, string> { ["model"] = "models/m.zip" }, new Dictionary<string, string>());

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
