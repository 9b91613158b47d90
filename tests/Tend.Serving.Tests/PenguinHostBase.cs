using Microsoft.Extensions.Time.Testing;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Tabular;
using Tend.Registry;
using Tend.Storage.Sql;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving.Tests;

/// <summary>Two registered versions of a penguins model (version 1 the champion) on a real SQLite store and artifact folder, and a model host on a fake clock.</summary>
public abstract class PenguinHostBase : IAsyncLifetime
{
    protected static readonly CancellationToken Ct = CancellationToken.None;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tend-host-");
    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    protected SqlMetadataStore Store { get; private set; } = null!;
    protected ModelHost Host { get; private set; } = null!;
    protected ModelRegistry Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await SqlMetadataStore.OpenAsync($"sqlite://{_dir.FullName}/tend.db", Ct);
        var artifacts = new FileArtifactStore(Path.Combine(_dir.FullName, "artifacts"));
        var data = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv"));
        var spec = new ProjectSpec("penguins", "", MlTask.Multiclass, "species", null, new SuccessMetric(Metrics.DefaultFor(MlTask.Multiclass), 0), [],
            new SplitSpec(), TrainSpec.Default, new MonitorSpec());
        using var model = ModelTrainer.Fit(data, FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf("species"))), spec, Ct);
        var bytes = new MemoryStream();
        model.Save(bytes);
        await artifacts.PutAsync("models/penguins.zip", new MemoryStream(bytes.ToArray()), Ct);
        var checksum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
        for (var i = 0; i < 2; i++)
            await Store.Models.RegisterAsync(new ModelVersion("penguins", 0, $"run{i}", "models/penguins.zip", checksum, "d", new Dictionary<string, double>(),
                Time.GetUtcNow(), []), new AuditEntry("test", "model.register", "penguins", ""), Ct);
        await PromoteAsync(1);
        Registry = new ModelRegistry(Store, artifacts);
        Host = new ModelHost(Registry, new ModelLoader(Registry, artifacts), Store.Deployments, time: Time);
    }

    protected Task PromoteAsync(int version) =>
        Store.Models.MoveAliasAsync(new AliasMove(0, "penguins", ModelRegistry.Champion, null, version, "test", "", AliasMove.Forced, Time.GetUtcNow()),
            _ => new AuditEntry("test", "alias.move", "penguins@champion", ""), Ct);

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Store.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
