using System.Globalization;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Training.Tests;

public class FeatureContributionsTests
{
    private static ProjectSpec Spec(MlTask task, string label, string trainer, string? positive = null) =>
        new("t", "", task, label, positive, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(), TrainSpec.Of(trainer), new MonitorSpec());

    private static TrainedModel Fit(Table data, ProjectSpec spec)
    {
        var layout = FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label)));
        return ModelTrainer.Fit(data, layout, spec, CancellationToken.None);
    }

    /// <summary>y = 10·signal + 3·[colour = red] + small noise; "noise" and "shape" play no part.</summary>
    private static Table Synthetic()
    {
        var random = new Random(7);
        string[] colours = ["red", "green", "blue"], shapes = ["square", "circle"];
        var rows = Enumerable.Range(0, 600).Select(_ =>
        {
            var signal = random.NextDouble() * 10;
            var colour = colours[random.Next(3)];
            var y = 10 * signal + (colour == "red" ? 3 : 0) + random.NextDouble() * 0.1;
            return new string?[] { Cells.Format(signal), Cells.Format(random.NextDouble() * 10), colour, shapes[random.Next(2)], Cells.Format(y) };
        }).ToList();
        return new Table(["signal", "noise", "colour", "shape", "y"], rows);
    }

    private static string?[] Row(double signal, string colour) => [signal.ToString(CultureInfo.InvariantCulture), "5", colour, "square", null];

    /// <summary>
    /// A tree's contribution is against the other branch, so a low signal counts against the prediction; a linear
    /// model's is weight × min-max scaled value, never negative for a positive weight, but larger for a larger value.
    /// </summary>
    [Theory]
    [InlineData("lightgbm", true)]
    [InlineData("fasttree", true)]
    [InlineData("sdca", false)]
    public void Regression_TheDrivingColumnLeadsWithTheDirectionOfItsEffect(string trainer, bool signed)
    {
        var data = Synthetic();
        var explain = FeatureContributions.For(Fit(data, Spec(MlTask.Regression, "y", trainer)));
        var rows = explain.Explain(new Table(data.Columns, [Row(9.5, "green"), Row(0.5, "green")]));

        var high = rows[0].Contributions;
        var low = rows[1].Contributions;
        Assert.Equal("signal", high[0].Column);
        Assert.Equal("9.5", high[0].Value);
        Assert.True(high[0].Contribution > 0, $"a high signal raises the prediction: {high[0].Contribution}");
        Assert.Equal("signal", low[0].Column);
        Assert.True(low[0].Contribution < high[0].Contribution);
        if (signed)
            Assert.True(low[0].Contribution < 0, $"a low signal lowers it: {low[0].Contribution}");
        Assert.True(rows[0].Score > rows[1].Score);
        double Of(IReadOnlyList<ColumnContribution> c, string column) => c.FirstOrDefault(x => x.Column == column)?.Contribution ?? 0;
        Assert.True(Math.Abs(Of(high, "noise")) < Math.Abs(high[0].Contribution) / 10, "the unused column stays small");
    }

    [Fact]
    public void OneHotSlots_AreSummedBackToTheirRawColumn()
    {
        var data = Synthetic();
        var explain = FeatureContributions.For(Fit(data, Spec(MlTask.Regression, "y", "sdca")));
        var red = explain.Explain(new Table(data.Columns, [Row(5, "red")]))[0].Contributions;
        var colour = Assert.Single(red, c => c.Column == "colour");
        Assert.Equal("red", colour.Value);
        Assert.True(colour.Contribution > 0, "red adds 3 to y");
        Assert.All(red, c => Assert.Contains(c.Column, data.Columns));
    }

    [Fact]
    public void Binary_CreditData_ExplainsEachRowAloneOrInABatchAlike()
    {
        var data = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv"));
        var spec = Spec(MlTask.Binary, "Status", "lightgbm", "bad");
        var (train, test) = HoldoutSplit.Split(data, spec);
        var explain = FeatureContributions.For(Fit(train, spec));
        var rows = test.Rows.Take(5).ToList();
        var together = explain.Explain(new Table(test.Columns, rows));
        for (var i = 0; i < rows.Count; i++)
        {
            var alone = explain.Explain(new Table(test.Columns, [rows[i]]))[0];
            Assert.Equal(alone.Score, together[i].Score);
            Assert.Equal(alone.Contributions, together[i].Contributions);
        }
        Assert.Contains(together[0].Contributions, c => c.Column == "Job"); // one-hot slots named by their column
        Assert.DoesNotContain(together[0].Contributions, c => c.Column == "Status");
    }

    [Fact]
    public void Multiclass_IsRefusedWithTheReason()
    {
        var data = CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "penguins.csv"));
        var model = Fit(data, Spec(MlTask.Multiclass, "species", "lightgbm"));
        var error = Assert.Throws<TendException>(() => FeatureContributions.For(model));
        Assert.Contains("multiclass", error.Message);
    }
}
