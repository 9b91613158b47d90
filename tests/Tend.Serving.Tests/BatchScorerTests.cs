using System.Globalization;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Sources;
using Tend.Data.Tabular;
using Tend.Serving.Batch;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving.Tests;

public sealed class BatchScorerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-batch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (ServedModel Model, Table Data) Fit(string file, MlTask task, string label, string? positive)
    {
        var data = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", file));
        var spec = new ProjectSpec("t", "", task, label, positive, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(), TrainSpec.Default, new MonitorSpec());
        var model = ModelTrainer.Fit(data, FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(label))), spec, CancellationToken.None);
        return (new ServedModel(new ModelVersion("t", 1, "r", "a", "c", "d", new Dictionary<string, double>(), DateTimeOffset.UtcNow, []), model), data);
    }

    private string Write(string name, Table table)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, CsvWriter.ToBytes(table));
        return path;
    }

    [Fact]
    public async Task Binary_ManyBatches_KeepsInputOrder_AddsTheServersOutput_AndRejectsBadRowsWithLineAndReason()
    {
        var (model, data) = Fit("credit_data.csv", MlTask.Binary, "Status", "bad");
        var rows = data.Rows.ToList();
        var income = data.IndexOf("Income");
        var spoiled = (string?[])rows[3].Clone();
        spoiled[income] = "lots";
        rows[3] = spoiled; // data line 5 of the file (the header is line 1)
        var input = Write("in.csv", new Table(data.Columns, [.. rows, .. data.Rows, .. data.Rows])); // > 3 batches
        var output = Path.Combine(_dir, "out.csv");
        var rejects = Path.Combine(_dir, "rejects.csv");

        var summary = await new BatchScorer(model).RunAsync(DataSources.Open(input, new ReadOptions()), output, rejects, null, CancellationToken.None);

        Assert.Equal(3L * data.Rows.Count, summary.Rows);
        Assert.Equal(1, summary.Rejected);
        var scored = CsvReader.ReadFile(output);
        Assert.Equal([.. data.Columns, "prediction", "probability"], scored.Columns);
        Assert.Equal(summary.Scored, scored.Rows.Count);
        var expected = model.Predict(new Table(data.Columns, [.. rows.Where(r => r != spoiled), .. data.Rows, .. data.Rows]));
        for (var i = 0; i < scored.Rows.Count; i++)
        {
            Assert.Equal(expected.Values[i], scored.Rows[i][^2]);
            Assert.Equal(expected.Probability![i], double.Parse(scored.Rows[i][^1]!, CultureInfo.InvariantCulture));
        }
        Assert.Equal(data.Rows[0], scored.Rows[0][..data.Columns.Count]);
        var rejected = Assert.Single(CsvReader.ReadFile(rejects).Rows);
        Assert.Equal("5", rejected[^2]);
        Assert.Equal("column 'Income': expected a number, found 'lots'", rejected[^1]);
    }

    [Fact]
    public async Task Multiclass_ToParquet_HasAProbabilityPerClass()
    {
        var (model, data) = Fit("penguins.csv", MlTask.Multiclass, "species", null);
        var input = Write("penguins.csv", data);
        var output = Path.Combine(_dir, "out.parquet");

        var summary = await new BatchScorer(model).RunAsync(DataSources.Open(input, new ReadOptions()), output, Path.Combine(_dir, "r.csv"), null, CancellationToken.None);

        Assert.Equal(0, summary.Rejected);
        Assert.False(File.Exists(Path.Combine(_dir, "r.csv")), "no rejects file when nothing is rejected");
        var parquet = new ParquetSource(() => File.OpenRead(output), output);
        Assert.Equal([.. data.Columns, "prediction", "probability_Adelie", "probability_Chinstrap", "probability_Gentoo"], parquet.Columns);
        var back = parquet.Rows(CancellationToken.None).ToList();
        var expected = model.Predict(data);
        Assert.Equal(data.Rows.Count, back.Count);
        for (var i = 0; i < back.Count; i++)
        {
            Assert.Equal(expected.Values[i], back[i].Cells[data.Columns.Count]);
            Assert.Equal(expected.ClassProbabilities![i][1], double.Parse(back[i].Cells[data.Columns.Count + 2]!, CultureInfo.InvariantCulture), 12);
        }
    }

    [Fact]
    public async Task AMissingFeatureColumn_OrAClashingOutputColumn_IsAnErrorNamingTheFile()
    {
        var (model, data) = Fit("penguins.csv", MlTask.Regression, "body_mass_g", null);
        var island = data.IndexOf("island");
        var without = Write("without.csv", new Table(data.Columns.Where(c => c != "island").ToList(), data.Rows.Select(r => r.Where((_, k) => k != island).ToArray()).ToList()));
        var missing = await Assert.ThrowsAsync<TendException>(() =>
            new BatchScorer(model).RunAsync(DataSources.Open(without, new ReadOptions()), Path.Combine(_dir, "o.csv"), Path.Combine(_dir, "r.csv"), null, CancellationToken.None));
        Assert.StartsWith($"{without}: column 'island' is missing", missing.Message);

        var clash = Write("clash.csv", new Table([.. data.Columns, "prediction"], data.Rows.Select(r => (string?[])[.. r, "x"]).ToList()));
        var error = await Assert.ThrowsAsync<TendException>(() =>
            new BatchScorer(model).RunAsync(DataSources.Open(clash, new ReadOptions()), Path.Combine(_dir, "o.csv"), Path.Combine(_dir, "r.csv"), null, CancellationToken.None));
        Assert.Contains("already has a column 'prediction'", error.Message);
    }
}
