using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Training.Tests;

public class ModelTrainerTests
{
    private static Table Load(string file) => CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", file));

    private static ProjectSpec Spec(MlTask task, string label, string? positive = null, string trainer = "lightgbm", Dictionary<string, double>? options = null) =>
        new("t", "", task, label, positive, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(), TrainSpec.Of(trainer, options), new MonitorSpec());

    private static (TrainedModel Model, IReadOnlyDictionary<string, double> Metrics, Table Test) Train(Table data, ProjectSpec spec)
    {
        var (train, test) = HoldoutSplit.Split(data, spec);
        var layout = FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label)));
        var model = ModelTrainer.Fit(train, layout, spec, CancellationToken.None);
        return (model, HoldoutEvaluator.Evaluate(model, test), test);
    }

    [Fact]
    public void Binary_WithMissingValuesAndCategories_LearnsAndIsReproducible()
    {
        var data = Load("credit_data.csv");
        var spec = Spec(MlTask.Binary, "Status", "bad");
        var first = Train(data, spec);
        var second = Train(data, spec);
        // scikit-learn's HistGradientBoosting reaches AUC 0.84 on this split size (shared/baseline); a working pipeline is well above chance.
        Assert.InRange(first.Metrics["auc"], 0.8, 1.0);
        Assert.Equal(first.Metrics, second.Metrics);
        Assert.Equal(["Home", "Marital", "Records", "Job"], first.Model.Layout.Categorical);
    }

    [Fact]
    public void SaveThenLoad_PredictsTheSame()
    {
        var (model, _, test) = Train(Load("credit_data.csv"), Spec(MlTask.Binary, "Status", "bad"));
        var buffer = new MemoryStream();
        model.Save(buffer);
        buffer.Position = 0;
        var loaded = ModelPackage.Load(buffer);
        Assert.Equal(model.Predict(test).Probability, loaded.Predict(test).Probability);
        Assert.Equal(model.Layout.Numeric, loaded.Layout.Numeric);
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("sdca")]
    public void Multiclass_Penguins_PredictsSpecies(string trainer)
    {
        var (model, metrics, test) = Train(Load("penguins.csv"), Spec(MlTask.Multiclass, "species", trainer: trainer));
        Assert.InRange(metrics["micro_accuracy"], 0.9, 1.0);
        Assert.Subset(new HashSet<string>(["Adelie", "Chinstrap", "Gentoo"]), model.Predict(test).Values.ToHashSet());
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("fasttree")]
    public void Regression_PenguinMass_ExplainsMostVariance(string trainer)
    {
        var data = Load("penguins.csv");
        var labelled = new Table(data.Columns, data.Rows.Where(r => r[data.IndexOf("body_mass_g")] is not null).ToList());
        var (_, metrics, _) = Train(labelled, Spec(MlTask.Regression, "body_mass_g", trainer: trainer, options: trainer == "lightgbm" ? new() { ["minimum_example_count_per_leaf"] = 5 } : null));
        Assert.InRange(metrics["r2"], 0.7, 1.0);
    }

    [Fact]
    public void Multiclass_MostProbableClass_IsThePredictedClass_WithMixedCaseLabels()
    {
        var data = Load("penguins.csv");
        var species = data.IndexOf("species");
        foreach (var row in data.Rows.Where(r => r[species] == "Adelie"))
            row[species] = "adelie"; // ordinal order (Chinstrap, Gentoo, adelie) differs from a culture's
        var (model, _, test) = Train(data, Spec(MlTask.Multiclass, "species"));
        Assert.Equal(["Chinstrap", "Gentoo", "adelie"], model.Layout.Classes);
        var predictions = model.Predict(test);
        for (var i = 0; i < test.Rows.Count; i++)
        {
            var p = predictions.ClassProbabilities![i];
            Assert.Equal(predictions.Values[i], model.Layout.Classes[Array.IndexOf(p, p.Max())]);
        }
    }

    [Fact]
    public void RowsWithoutALabel_AreLeftOutOfTrainingAndTheHoldout()
    {
        var data = Load("credit_data.csv");
        var status = data.IndexOf("Status");
        for (var i = 0; i < 100; i++)
            data.Rows[i * 10][status] = null;
        var spec = Spec(MlTask.Binary, "Status", "bad");
        var (train, test) = HoldoutSplit.Split(data, spec);
        Assert.Equal(data.Rows.Count - 100, train.Rows.Count + test.Rows.Count);
        Assert.InRange(Train(data, spec).Metrics["auc"], 0.8, 1.0);
    }

    [Fact]
    public void UnknownTrainerOption_ListsTheValidOnes()
    {
        var e = Assert.Throws<TendException>(() => Train(Load("penguins.csv"), Spec(MlTask.Multiclass, "species", options: new() { ["leaves"] = 3 })));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.Contains("unknown option 'leaves' for trainer 'lightgbm'", e.Message);
        Assert.Contains("number_of_leaves", e.Message);
    }

    [Fact]
    public void FastTreeMulticlass_IsRefusedWithTheAlternatives()
    {
        var e = Assert.Throws<TendException>(() => Train(Load("penguins.csv"), Spec(MlTask.Multiclass, "species", trainer: "fasttree")));
        Assert.Contains("choose one of: lightgbm, sdca", e.Message);
    }
}
