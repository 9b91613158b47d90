using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Serving.Tests;

public class ServedModelTests
{
    [Theory]
    [InlineData("credit_data.csv", MlTask.Binary, "Status", "bad")]
    [InlineData("penguins.csv", MlTask.Multiclass, "species", null)]
    [InlineData("penguins.csv", MlTask.Regression, "bill_length_mm", null)]
    public void Predict_WithPooledEngines_AgreesWithTheBatchPath(string file, MlTask task, string label, string? positive)
    {
        var data = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", file));
        var spec = new ProjectSpec("t", "", task, label, positive, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(),
            TrainSpec.Default, new MonitorSpec());
        var (train, test) = HoldoutSplit.Split(data, spec);
        var model = ModelTrainer.Fit(train, FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(label))), spec, CancellationToken.None);
        var served = new ServedModel(new ModelVersion("t", 1, "r", "a", "c", "d", new Dictionary<string, double>(), DateTimeOffset.UtcNow, []), model);

        var batch = model.Predict(test);
        var rows = Enumerable.Range(0, test.Rows.Count).AsParallel().Select(i => served.Predict(new Table(test.Columns, [test.Rows[i]]))).ToList();

        Assert.Equal(batch.Values, rows.Select(r => r.Values[0]));
        for (var i = 0; i < rows.Count; i++)
            Assert.Equal(batch.Score(i, model.Layout.Classes), rows[i].Score(0, model.Layout.Classes), 6);
    }
}
