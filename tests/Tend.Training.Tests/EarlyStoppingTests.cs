using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Training.Tests;

public class EarlyStoppingTests
{
    private static Table Load(string file) => CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", file));

    private static ProjectSpec Spec(MlTask task, string label, Dictionary<string, double>? options = null) =>
        new("t", "", task, label, null, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(), TrainSpec.Of("lightgbm", options), new MonitorSpec());

    private static TrainedModel Fit(Table data, ProjectSpec spec)
    {
        var (train, _) = HoldoutSplit.Split(data, spec);
        return ModelTrainer.Fit(train, FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label))), spec, CancellationToken.None);
    }

    [Theory]
    [InlineData(MlTask.Multiclass, "species")]
    [InlineData(MlTask.Regression, "body_mass_g")] // a random inner split: with the holdout's own seed it would hold out no row

    public void WithoutRounds_TheDefaultTrainerChoosesThem_OnAnInnerSplit(MlTask task, string label)
    {
        var model = Fit(Load("penguins.csv"), Spec(task, label));
        var rounds = Assert.Single(model.Chosen);
        Assert.Equal("number_of_iterations", rounds.Key);
        // On about 270 rows, early stopping ends well before the cap.
        Assert.InRange(rounds.Value, 1, EarlyStopping.MaxRounds - 1);
    }

    [Fact]
    public void OnLabelsOfPureNoise_ItStopsAlmostAtOnce()
    {
        var data = Load("penguins.csv");
        var label = data.IndexOf("body_mass_g");
        var random = new Random(7);
        var shuffled = data.Rows.Select(r => r[label]).OrderBy(_ => random.Next()).ToArray();
        var noise = new Table(data.Columns, data.Rows.Select((r, i) => { var row = (string?[])r.Clone(); row[label] = shuffled[i]; return row; }).ToList());
        var spec = Spec(MlTask.Regression, "body_mass_g");
        var signal = Fit(data, spec).Chosen["number_of_iterations"];
        var none = Fit(noise, spec).Chosen["number_of_iterations"];
        Assert.True(none < signal / 2, $"noise {none} rounds, signal {signal}");
    }

    [Fact]
    public void RoundsSetInTendYaml_AreKept_AndNothingIsChosen()
    {
        var model = Fit(Load("penguins.csv"), Spec(MlTask.Multiclass, "species", new() { ["number_of_iterations"] = 30 }));
        Assert.Empty(model.Chosen);
    }

    [Fact]
    public void SameDataAndSeed_ChooseTheSameRounds()
    {
        var spec = Spec(MlTask.Regression, "body_mass_g");
        Assert.Equal(Fit(Load("penguins.csv"), spec).Chosen, Fit(Load("penguins.csv"), spec).Chosen);
    }

    [Theory]
    [InlineData("ames.csv", "Sale_Price", true)]      // Neighborhood has 28 levels: categories split as sets
    [InlineData("credit_data.csv", "Status", false)]  // Home has 6 at most: one indicator at a time
    public void CategoriesSplitAsSets_OnlyWhenAColumnHasManyLevels(string file, string label, bool many)
    {
        var data = Load(file);
        var spec = Spec(file == "ames.csv" ? MlTask.Regression : MlTask.Binary, label);
        var layout = FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label)));
        layout = layout with { Prepared = Preparation.Fit(data, layout, spec.PrepareOrDefault) };
        Assert.Equal(many, ModelPipeline.FitOf(data, layout, 42).ManyLevels);
    }
}
