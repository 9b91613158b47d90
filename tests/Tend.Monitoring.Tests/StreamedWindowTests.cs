using System.Globalization;
using System.Text;
using Tend.Core.Domain;
using Tend.Data.Sources;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;

namespace Tend.Monitoring.Tests;

public sealed class StreamedWindowTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-streamed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly (string Name, ColumnType Type)[] Features =
        [("amount", ColumnType.Numeric), ("count", ColumnType.Integer), ("active", ColumnType.Boolean), ("plan", ColumnType.Categorical)];

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void EachColumn_IsWhatTheWholeTableGives_MissingAndInvalidCellsIncluded()
    {
        var random = new Random(3);
        var lines = new List<string> { "amount,count,active,plan,unused" };
        for (var i = 0; i < 5000; i++)
            lines.Add(string.Join(',',
                i % 97 == 0 ? "" : i % 89 == 0 ? "n/a" : (random.NextDouble() * 100).ToString("0.###", CultureInfo.InvariantCulture),
                random.Next(0, 20).ToString(CultureInfo.InvariantCulture),
                i % 50 == 0 ? "maybe" : random.Next(2) == 0 ? "true" : "false",
                i % 31 == 0 ? "" : $"plan{random.Next(6)}",
                "x"));
        var path = Write("data.csv", lines);

        var streamed = StreamedWindow.Read(DataSources.Open(path, new ReadOptions()), Features, CancellationToken.None);
        var whole = DriftAnalysis.Of(CsvReader.ReadFile(path));

        Assert.Equal(5000, streamed.Rows);
        Assert.Equal(["amount", "count", "active", "plan", "unused"], streamed.ColumnNames);
        foreach (var (name, type) in Features)
        {
            var (a, b) = (streamed.Window(name, type), whole(name, type));
            Assert.Equal(b.MissingShare, a.MissingShare, 12);
            Assert.Equal(b.InvalidShare, a.InvalidShare, 12);
            Assert.Equal(b.Sample.Count, a.Sample.Count);
            Assert.Equal(b.Sample.Min, a.Sample.Min);
            Assert.Equal(b.Sample.Max, a.Sample.Max);
            Assert.Equal(b.Sample.Numbers?.Values, a.Sample.Numbers?.Values);
            Assert.Equal(b.Sample.Numbers?.Weights, a.Sample.Numbers?.Weights);
            Assert.Equal(b.Sample.Categories?.OrderBy(c => c.Key), a.Sample.Categories?.OrderBy(c => c.Key));
        }
        Assert.True(streamed.Window("amount", ColumnType.Numeric).InvalidShare > 0);
        // A column the file lacks is all missing, as in a table.
        Assert.Equal(1, streamed.Window("absent", ColumnType.Numeric).MissingShare);
    }

    [Fact]
    public void ASampleOfWholeRows_UniformAndTheSameEachRead()
    {
        var path = Write("big.csv", Enumerable.Range(0, 60_000).Select(i => $"{i},{i % 7},true,p{i % 3},x").Prepend("amount,count,active,plan,unused"));
        StreamedWindow Read() => StreamedWindow.Read(DataSources.Open(path, new ReadOptions()), Features, CancellationToken.None);
        var (first, second) = (Read(), Read());

        Assert.Equal(StreamedWindow.SampleRows, first.Sample.Rows.Count);
        var rows = first.Sample.Rows.Select(r => int.Parse(r[0]!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.All(first.Sample.Rows, r => Assert.Equal($"p{int.Parse(r[0]!, CultureInfo.InvariantCulture) % 3}", r[3])); // whole rows, not mixed
        Assert.Equal(rows, second.Sample.Rows.Select(r => int.Parse(r[0]!, CultureInfo.InvariantCulture)));
        // Uniform over the file: each third holds about a third of the sample (binomial sd ≈ 67 rows).
        Assert.All(rows.GroupBy(r => r / 20_000), g => Assert.InRange(g.Count(), 6_300, 7_000));
    }

    [Fact]
    public void CategoriesBeyondTheCap_AreCountedTogether()
    {
        var path = Write("wide.csv", Enumerable.Range(0, StreamedWindow.MaxCategories + 500).Select(i => $"1,1,true,v{i},x").Prepend("amount,count,active,plan,unused"));
        var categories = StreamedWindow.Read(DataSources.Open(path, new ReadOptions()), Features, CancellationToken.None).Window("plan", ColumnType.Categorical).Sample.Categories!;
        Assert.Equal(StreamedWindow.MaxCategories + 1, categories.Count);
        Assert.Equal(500, categories[StreamedWindow.OtherCategories]);
        Assert.Equal(StreamedWindow.MaxCategories + 500, categories.Values.Sum());
    }
}
