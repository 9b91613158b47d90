using Npgsql;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Core.Stores;
using Tend.Data.Sources;
using Tend.Data.Versions;
using Tend.Storage.Sql;
using Tend.Testing;

namespace Tend.Data.Tests;

/// <summary>Ingest on the wide real dataset (ames: 2,930 × 74) and from a real PostgreSQL server.</summary>
public sealed class SourceDatasetTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = Directory.CreateTempSubdirectory("tend-sources-").FullName;

    private async Task<DatasetCatalog> CatalogAsync()
    {
        var store = await SqlMetadataStore.OpenAsync($"sqlite://{_root}/tend.db", Ct);
        return new DatasetCatalog(store.Datasets, new FileArtifactStore(Path.Combine(_root, "artifacts")));
    }

    [Fact]
    public async Task Ames_Wide_IsTypedAndProfiledAsPandasAndNumpySee()
    {
        var spec = new ProjectSpec("ames", "", MlTask.Regression, "Sale_Price", null, new SuccessMetric("rmse", 1), [], new SplitSpec(),
            TrainSpec.Default, new MonitorSpec(),
            Data: DataSpec.Default with { Schema = new Dictionary<string, ColumnOverride> { ["BsmtFin_SF_1"] = new("categorical") } });
        var catalog = await CatalogAsync();
        var path = Path.Combine(AppContext.BaseDirectory, "data", "ames.csv");
        var ingest = await catalog.AddAsync("ames", DataSources.Open(path, new ReadOptions()), new IngestOptions("t", spec), Ct);
        var v = ingest.Version;
        Assert.True(ingest.Created);
        Assert.Equal((2930, 74), (v.Rows, v.Columns));
        // pandas.read_csv: 34 numeric dtypes, of which only Longitude and Latitude hold fractions; BsmtFin_SF_1 is overridden.
        Assert.Equal(33, v.Schema.Columns.Count(c => c.Type.IsNumber()));
        Assert.Equal(["Latitude", "Longitude"], v.Schema.Columns.Where(c => c.Type == ColumnType.Numeric).Select(c => c.Name).Order());
        Assert.Equal(ColumnType.Categorical, v.Schema.Find("BsmtFin_SF_1")!.Type);
        Assert.Equal(28, v.Schema.Find("Neighborhood")!.Domain!.Count);

        var profile = await catalog.LoadProfileAsync(v, Ct);
        Assert.Equal(0, profile.DuplicateRows); // pandas DataFrame.duplicated().sum()
        var price = profile.Find("Sale_Price")!;
        // numpy 1.24: np.quantile(Sale_Price, [.01, .05, .25, .5, .75, .95, .99]), mean, std(ddof=1)
        double[] expected = [61756.07, 87500.0, 129500.0, 160000.0, 213500.0, 335000.0, 456666.3700000001];
        Assert.Equal(expected, price.Quantiles!.Values.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(180796.0600682594, price.Mean!.Value, 1e-6);
        Assert.Equal(79886.692356665, price.Std!.Value, 1e-6);
        var area = profile.Find("Gr_Liv_Area")!.LabelAssociation!;
        Assert.Equal(("pearson", 0.706779920976628), (area.Method, Math.Round(area.Value, 15)));
        Assert.Equal("North_Ames", profile.Find("Neighborhood")!.TopValues![0].Value);
        Assert.Equal(443, profile.Find("Neighborhood")!.TopValues![0].Count);
    }

    [PostgresFact]
    public async Task PostgresQuery_IsTheSameVersionAsTheSameTableInCsv_AndErrorsAreClear()
    {
        var uri = PostgresServer.Uri;
        var table = $"t_{Guid.NewGuid():N}";
        await using (var source = NpgsqlDataSource.Create(PostgresUri.ToConnectionString(new Uri(uri))))
        await using (var command = source.CreateCommand(
            $"""
            CREATE TABLE {table}(x double precision, label integer, color text, day date, flag boolean, amount numeric(10,2));
            INSERT INTO {table} VALUES (1.5, 0, 'r', '2024-05-31', true, 12.50), (2.5, 1, NULL, NULL, false, 3.00), (NULL, 1, 'o', '2024-06-01', NULL, NULL);
            """))
            await command.ExecuteNonQueryAsync();

        var catalog = await CatalogAsync();
        var fromSql = await catalog.AddAsync("d", SqlSource.Query($"SELECT * FROM {table} ORDER BY label, x", uri, Ct), new IngestOptions("t"), Ct);
        var csv = Path.Combine(_root, "t.csv");
        File.WriteAllText(csv, "x,label,color,day,flag,amount\n1.5,0,r,2024-05-31,true,12.50\n2.5,1,,,false,3.00\n,1,o,2024-06-01,,\n");
        var fromCsv = await catalog.AddAsync("d", DataSources.Open(csv, new ReadOptions()), new IngestOptions("t"), Ct);
        Assert.Equal(fromSql.Version.Version, fromCsv.Version.Version);
        Assert.False(fromCsv.Created);
        Assert.Equal([ColumnType.Numeric, ColumnType.Integer, ColumnType.Categorical, ColumnType.DateTime, ColumnType.Boolean, ColumnType.Numeric],
            fromSql.Version.Schema.Columns.Select(c => c.Type));

        var error = Assert.Throws<TendException>(() => SqlSource.Query($"SELECT nope FROM {table}", uri, Ct));
        Assert.Equal(ErrorCode.BadUsage, error.Code);
        Assert.Contains("the query failed", error.Message);
        Assert.Contains("column \"nope\" does not exist", error.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
