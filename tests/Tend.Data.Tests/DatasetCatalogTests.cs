using Tend.Core.Artifacts;
using Tend.Core.Errors;
using Tend.Data.Tabular;
using Tend.Data.Versions;
using Tend.Storage.Sql;

namespace Tend.Data.Tests;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tend-catalog-").FullName;

    private async Task<(DatasetCatalog Catalog, SqlMetadataStore Store)> OpenAsync()
    {
        var store = await SqlMetadataStore.OpenAsync($"sqlite://{_root}/tend.db", CancellationToken.None);
        return (new DatasetCatalog(store.Datasets, new FileArtifactStore(Path.Combine(_root, "artifacts"))), store);
    }

    [Fact]
    public async Task Ingest_SameContentTwice_ReturnsSameVersionAndStoresNothingNew()
    {
        var (catalog, store) = await OpenAsync();
        var first = await catalog.AddAsync("d", CsvReader.Read(new StringReader("a,b\n1,x\n2,y\n"), "one.csv"), "one.csv", "test", CancellationToken.None);
        // The same content with CRLF line ends and a needlessly quoted field is the same canonical snapshot.
        var second = await catalog.AddAsync("d", CsvReader.Read(new StringReader("a,b\r\n1,\"x\"\r\n2,y\r\n"), "two.csv"), "two.csv", "test", CancellationToken.None);
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Version.Version, second.Version.Version);
        Assert.Single(await store.Datasets.ListAsync(CancellationToken.None));
        Assert.Single(Directory.GetDirectories(Path.Combine(_root, "artifacts", "datasets")));
        Assert.Single(await store.Audit.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Get_ByHashPrefix_LoadsTheSameRows()
    {
        var (catalog, _) = await OpenAsync();
        var ingest = await catalog.AddAsync("d", CsvReader.Read(new StringReader("a,b\n1,\n2,y\n"), "x.csv"), "x.csv", "test", CancellationToken.None);
        var version = await catalog.GetAsync($"d@{ingest.Version.Version[..8]}", CancellationToken.None);
        var table = await catalog.LoadAsync(version, CancellationToken.None);
        Assert.Equal(["1|∅", "2|y"], table.Rows.Select(CsvReaderTests.Show));
        Assert.Equal(2, version.Profile.Rows);
    }

    [Fact]
    public async Task Get_Unknown_IsNotFound()
    {
        var (catalog, _) = await OpenAsync();
        var e = await Assert.ThrowsAsync<TendException>(() => catalog.GetAsync("nope", CancellationToken.None));
        Assert.Equal(ErrorCode.NotFound, e.Code);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
