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

/// <summary>The model host on a real SQLite store and artifact folder, its clock a fake one: hot swap, leases, disposal.</summary>
public sealed class ModelHostTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tend-host-");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private SqlMetadataStore _store = null!;
    private ModelHost _host = null!;

    public async Task InitializeAsync()
    {
        _store = await SqlMetadataStore.OpenAsync($"sqlite://{_dir.FullName}/tend.db", Ct);
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
            await _store.Models.RegisterAsync(new ModelVersion("penguins", 0, $"run{i}", "models/penguins.zip", checksum, "d", new Dictionary<string, double>(),
                _time.GetUtcNow(), []), new AuditEntry("test", "model.register", "penguins", ""), Ct);
        await PromoteAsync(1);
        var registry = new ModelRegistry(_store, artifacts);
        _host = new ModelHost(registry, new ModelLoader(registry, artifacts), _store.Deployments, time: _time);
    }

    private Task PromoteAsync(int version) =>
        _store.Models.MoveAliasAsync(new AliasMove(0, "penguins", ModelRegistry.Champion, null, version, "test", "", AliasMove.Forced, _time.GetUtcNow()),
            new AuditEntry("test", "alias.move", "penguins@champion", ""), Ct);

    [Fact]
    public async Task Champion_Moves_IsServedOnceTheLookupIsStale_NotBefore()
    {
        Assert.Equal(1, (await _host.GetAsync("penguins", Ct)).Version.Version);
        await PromoteAsync(2);

        _time.Advance(ModelHost.AliasRefresh);
        Assert.Equal(1, (await _host.GetAsync("penguins", Ct)).Version.Version);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await _host.GetAsync("penguins", Ct)).Version.Version);
    }

    [Fact]
    public async Task SwappedOutVersion_IsDisposed_OnlyWhenTheLastRequestHoldingItEnds()
    {
        var lease = await _host.LeaseAsync("penguins", null, Ct);
        var old = lease.Model;
        await PromoteAsync(2);
        _time.Advance(ModelHost.AliasRefresh + TimeSpan.FromMilliseconds(1));

        using (var next = await _host.LeaseAsync("penguins", null, Ct))
            Assert.Equal(2, next.Model.Version.Version);
        Assert.False(old.Disposed); // a request still scores with it
        old.WarmUp(); // and can

        lease.Dispose();
        Assert.True(old.Disposed);
        Assert.False((await _host.GetAsync("penguins", Ct)).Disposed);
    }

    [Fact]
    public async Task Dispose_LetsEveryLoadedVersionGo()
    {
        var champion = await _host.GetAsync("penguins", Ct);
        var pinned = await _host.GetAsync("penguins", 2, Ct);

        _host.Dispose();

        Assert.True(champion.Disposed);
        Assert.True(pinned.Disposed);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _store.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
