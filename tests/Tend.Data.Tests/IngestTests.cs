using System.Text;
using Microsoft.Data.Sqlite;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Tabular;
using Tend.Data.Versions;
using Tend.Storage.Sql;

namespace Tend.Data.Tests;

public sealed class IngestTests : IDisposable
{
    private const string Csv = "x,label,color\n4.0,1,r\n1.5,0,r\n9.25,1,o\n3,0,o\n7.5,1,r\n2,0,o\n6,1,r\n10,1,r\n0.5,0,o\n5,0,o\n8,1,r\n,1,\n";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _root = Directory.CreateTempSubdirectory("tend-ingest-").FullName;

    private static ProjectSpec Spec(string label = "label") =>
        new("d", "", MlTask.Regression, label, null, new SuccessMetric("rmse", 1), [], new SplitSpec(), TrainSpec.Default, new MonitorSpec());

    private async Task<DatasetCatalog> CatalogAsync()
    {
        var store = await SqlMetadataStore.OpenAsync($"sqlite://{_root}/tend.db", Ct);
        return new DatasetCatalog(store.Datasets, new FileArtifactStore(Path.Combine(_root, "artifacts")));
    }

    private string Write(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    private static RowSource Open(string path, string? encoding = null, BadLines bad = BadLines.Error) => DataSources.Open(path, new ReadOptions(Encoding: encoding, BadLines: bad));

    [Fact]
    public async Task SameTable_FromCsvTsvBomLatin1JsonLinesAndParquet_IsOneVersion()
    {
        var catalog = await CatalogAsync();
        var csv = (await catalog.AddAsync("d", Open(Write("a.csv", Csv)), new IngestOptions("t"), Ct)).Version;
        var tsv = await catalog.AddAsync("d", Open(Write("a.tsv", Csv.Replace(',', '\t'))), new IngestOptions("t"), Ct);
        var bom = await catalog.AddAsync("d", Open(Write("bom.csv", Csv, new UTF8Encoding(true))), new IngestOptions("t"), Ct);
        var latin = await catalog.AddAsync("d", Open(Write("l.csv", Csv, Encoding.Latin1), "latin-1"), new IngestOptions("t"), Ct);
        var jsonl = Write("a.jsonl", string.Join("\n", CsvReader.Read(new StringReader(Csv), "a").Rows.Select(r =>
            $"{{\"x\": {r[0] ?? "null"}, \"label\": {r[1]}, \"color\": {(r[2] is null ? "null" : $"\"{r[2]}\"")}}}")));
        var fromJson = await catalog.AddAsync("d", Open(jsonl), new IngestOptions("t"), Ct);
        // The stored Parquet, read back as a source, is the same table again.
        var parquet = Path.Combine(_root, "artifacts", csv.Artifact);
        var fromParquet = await catalog.AddAsync("d", Open(parquet), new IngestOptions("t"), Ct);
        Assert.All(new[] { tsv, bom, latin, fromJson, fromParquet }, i => Assert.Equal(csv.Version, i.Version.Version));
        Assert.All(new[] { tsv, bom, latin, fromJson, fromParquet }, i => Assert.False(i.Created));
    }

    [Fact]
    public async Task Profile_MatchesNumpyAndScipy()
    {
        // Reference: numpy.quantile (linear), std(ddof=1), numpy.corrcoef and scipy.stats.contingency.association
        // (cramer) on the same 11 rows, computed with numpy 1.24 / scipy 1.10 (tests/reference/compute_references.py).
        var catalog = await CatalogAsync();
        var spec = Spec() with { Task = MlTask.Binary, Name = "d" };
        var version = (await catalog.AddAsync("d", Open(Write("p.csv", Csv)), new IngestOptions("t", Spec()), Ct)).Version;
        var profile = await catalog.LoadProfileAsync(version, Ct);
        var x = profile.Find("x")!;
        Assert.Equal((11, 1), (x.Count, x.Missing));
        Assert.Equal([0.6, 1.0, 2.5, 5.0, 7.75, 9.625, 9.925], x.Quantiles!.Values.Select(v => Math.Round(v, 12)));
        Assert.Equal(3.2486010975355364, x.Std!.Value, 12);
        Assert.Equal(new LabelAssociation("pearson", 0.8131587565896333).Method, x.LabelAssociation!.Method);
        Assert.Equal(0.8131587565896333, x.LabelAssociation.Value, 12);
        Assert.Equal(11, x.Histogram!.Counts.Sum());

        var categorical = await catalog.AddAsync("c", Open(Write("c.csv", "color,label\nr,g\nr,g\no,b\no,b\nr,g\no,g\nr,g\nr,b\no,b\no,b\nr,g\n")),
            new IngestOptions("t", spec with { Name = "c" }), Ct);
        var color = (await catalog.LoadProfileAsync(categorical.Version, Ct)).Find("color")!;
        Assert.Equal("cramers_v", color.LabelAssociation!.Method);
        Assert.Equal(0.6333333333333332, color.LabelAssociation.Value, 12);
    }

    [Fact]
    public async Task Append_RecordsParent_AndValidatesNewRowsAgainstTheSchema()
    {
        var catalog = await CatalogAsync();
        var first = (await catalog.AddAsync("d", Open(Write("a.csv", Csv)), new IngestOptions("t", Spec() with { Name = "d" }), Ct)).Version;
        var more = await catalog.AddAsync("d", Open(Write("b.csv", "x,label,color\n3.5,1,g\n99,0,r\n")), new IngestOptions("t", Spec() with { Name = "d" }, Append: true), Ct);
        Assert.True(more.Created);
        Assert.Equal(first.Version, more.Version.Parent);
        Assert.Equal((14, 2), (more.Version.Rows, more.Version.AddedRows));
        var kinds = more.Version.Validation!.Anomalies.Select(a => (a.Column, a.Kind)).ToList();
        Assert.Contains(("color", "unseen_category"), kinds);
        Assert.Contains(("x", "out_of_range"), kinds);
        Assert.Contains("line 2: 'g'", more.Version.Validation.Anomalies.First(a => a.Kind == "unseen_category").Examples!);

        var bad = await catalog.ValidateAsync("d", Open(Write("c.csv", "x,label,color\nlots,1,r\n")), Spec() with { Name = "d" }, Ct);
        Assert.True(bad.Rejected);
        var mismatch = Assert.Single(bad.Version.Validation!.Errors);
        Assert.Equal(("x", "type_mismatch"), (mismatch.Column, mismatch.Kind));
        Assert.Equal(["line 2: 'lots'"], mismatch.Examples);
        Assert.Equal(more.Version.Version, (await catalog.GetAsync("d", Ct)).Version); // validating stored nothing
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", "r.csv:3: expected 2 fields as in the header, found 1")]
    [InlineData("a,b\n1,\"open\n", "r.csv:2: column 2: a quoted field is never closed")]
    [InlineData("", "r.csv: the file is empty")]
    [InlineData("a,a\n1,2\n", "r.csv:1: column name 'a' appears twice")]
    [InlineData("a,\n1,2\n", "r.csv:1: column 2 has an empty name")]
    public async Task BadCsv_NamesFileLineAndColumn_AndStoresNothing(string text, string expected)
    {
        var catalog = await CatalogAsync();
        var path = Write("r.csv", text);
        var e = await Assert.ThrowsAsync<TendException>(async () => await catalog.AddAsync("d", Open(path), new IngestOptions("t"), Ct));
        Assert.Equal(ErrorCode.InvalidData, e.Code);
        Assert.Contains(expected, e.Message.Replace(_root + "/", ""));
        Assert.False(Directory.Exists(Path.Combine(_root, "artifacts", "datasets")));
    }

    [Fact]
    public async Task BadLines_Skip_CountsThem_UnknownEncoding_IsBadUsage()
    {
        var catalog = await CatalogAsync();
        var path = Write("r.csv", "a,b\n1,2\n3\n4,5\n6,7,8\n");
        var ingest = await catalog.AddAsync("d", Open(path, bad: BadLines.Skip), new IngestOptions("t"), Ct);
        Assert.Equal((2, 2), (ingest.Version.Rows, ingest.Version.SkippedLines));
        Assert.Equal(ErrorCode.BadUsage, Assert.Throws<TendException>(() => Open(path, "klingon")).Code);
    }

    [Fact]
    public async Task SqlQuery_AgainstSqlite_IsASource_AndASqlErrorIsClear()
    {
        var db = Path.Combine(_root, "src.db");
        await using (var connection = new SqliteConnection($"Data Source={db}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE t(x REAL, label INTEGER, color TEXT); INSERT INTO t VALUES (1.5, 0, 'r'), (2.5, 1, NULL), (NULL, 1, 'o');";
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
        var catalog = await CatalogAsync();
        var version = (await catalog.AddAsync("d", SqlSource.Query("SELECT * FROM t", $"sqlite://{db}", Ct), new IngestOptions("t"), Ct)).Version;
        var fromCsv = await catalog.AddAsync("d", Open(Write("t.csv", "x,label,color\n1.5,0,r\n2.5,1,\n,1,o\n")), new IngestOptions("t"), Ct);
        Assert.Equal(version.Version, fromCsv.Version.Version);
        var e = Assert.Throws<TendException>(() => SqlSource.Query("SELECT nope FROM t", $"sqlite://{db}", Ct));
        Assert.Contains("the query failed", e.Message);
        Assert.Contains("no such column: nope", e.Message);
    }

    [Fact]
    public async Task DuplicateRows_AreCounted_AsPandasDuplicated_AndWarned()
    {
        // The first three data rows repeated: pandas says df.duplicated().sum() == 3 of these 15 rows.
        var lines = Csv.TrimEnd('\n').Split('\n');
        var text = string.Join('\n', lines.Concat(lines[1..4])) + "\n";
        var catalog = await CatalogAsync();
        var version = (await catalog.AddAsync("d", Open(Write("dup.csv", text)), new IngestOptions("t"), Ct)).Version;
        Assert.Equal(3, version.Profile.DuplicateRows);
        var anomaly = Assert.Single(version.Validation!.Anomalies, a => a.Kind == "duplicate_rows");
        Assert.Equal(Severity.Warning, anomaly.Severity);
        Assert.Equal(3 / 15.0, anomaly.Share!.Value, 12);
    }

    [Fact]
    public void FastNumberParse_AgreesWithDoubleParse()
    {
        var random = new Random(7);
        for (var i = 0; i < 20000; i++)
        {
            var text = (random.NextDouble() * Math.Pow(10, random.Next(-8, 9)) * (random.Next(2) == 0 ? -1 : 1)).ToString("F" + random.Next(0, 12), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Cells.TryNumber(text, out var fast));
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), fast);
        }
    }

    [Theory]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-0")]
    [InlineData("+3.25")]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740993")]
    [InlineData("1234567890123456789")]
    [InlineData("0.1234567890123456789012")]
    [InlineData("0.30000000000000004")]
    [InlineData("-123456.0000000000000001")]
    [InlineData("1e5")]
    [InlineData("1.5E-3")]
    public void FastNumberParse_EdgeCases_AgreeWithDoubleParse(string text)
    {
        Assert.True(Cells.TryNumber(text, out var fast));
        var slow = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(BitConverter.DoubleToInt64Bits(slow), BitConverter.DoubleToInt64Bits(fast));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("")]
    public void FastNumberParse_NotANumber_IsRefused(string text) => Assert.False(Cells.TryNumber(text, out _));

    [Theory]
    [InlineData("2024-02-29")]
    [InlineData("2023-02-29")]
    [InlineData("2024-12-31T23:59:59")]
    [InlineData("2024-12-31 00:00:01")]
    [InlineData("2024-13-01")]
    [InlineData("2024-01-01T24:00:00")]
    [InlineData("2024-01-01T10:00:00.25")]
    [InlineData("2024-01-01T10:00:00+02:00")]
    [InlineData("2024-01-0a")]
    public void FastDateParse_AgreesWithTheIsoFormats(string text)
    {
        string[] formats =
        [
            "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
            "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        ];
        var expected = DateTime.TryParseExact(text, formats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var slow);
        Assert.Equal(expected, Cells.TryDateTime(text, out var fast));
        Assert.Equal((slow, slow.Kind), (fast, fast.Kind));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
