using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Schema;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Evaluation;
using Tend.Training.Features;
using Tend.Training.Models;
using Tend.Training.Trainers;

namespace Tend.Training.Tests;

/// <summary>Every trainer of the catalog trains, saves, reloads and predicts the same on a shared dataset of its task.</summary>
public class TrainerCatalogTests
{
    private static Table Load(string file) => CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", file));

    private static readonly Lazy<Table> Penguins = new(() => Load("penguins.csv"));
    private static readonly Lazy<Table> Credit = new(() => Load("credit_data.csv"));

    public static TheoryData<string, string> Trainers()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in TrainerCatalog.All)
            data.Add(t.Task.ToString(), t.Name);
        return data;
    }

    /// <summary>The task's shared dataset, label, metric and a bar a working trainer clears at its defaults.</summary>
    private static (Table Data, ProjectSpec Spec, string Metric, double Bar) Problem(MlTask task, string trainer)
    {
        ProjectSpec Spec(string label, string? positive) =>
            new("t", "", task, label, positive, new SuccessMetric(Metrics.DefaultFor(task), 0), [], new SplitSpec(), TrainSpec.Of(trainer), new MonitorSpec());
        return task switch
        {
            // scikit-learn's HistGradientBoosting reaches AUC ≈ 0.84 on credit_data; logistic regression ≈ 0.82.
            MlTask.Binary => (Credit.Value, Spec("Status", "bad"), "auc", 0.75),
            MlTask.Multiclass => (Penguins.Value, Spec("species", null), "micro_accuracy", 0.9),
            _ => (new Table(Penguins.Value.Columns, Penguins.Value.Rows.Where(r => r[5] is not null).ToList()), Spec("body_mass_g", null), "r2", 0.6),
        };
    }

    [Theory, MemberData(nameof(Trainers))]
    public void Trainer_TrainsSavesReloadsAndPredictsTheSame(string taskName, string trainer)
    {
        var task = Enum.Parse<MlTask>(taskName);
        var (data, spec, metric, bar) = Problem(task, trainer);
        var (train, test) = HoldoutSplit.Split(data, spec);
        var layout = FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(data.IndexOf(spec.Label)));
        var model = ModelTrainer.Fit(train, layout, spec, CancellationToken.None);
        Assert.InRange(HoldoutEvaluator.Evaluate(model, test)[metric], bar, 1.0);

        var buffer = new MemoryStream();
        model.Save(buffer);
        // The same data, spec and seed give the same model, byte for byte (so one content-addressed file).
        var again = new MemoryStream();
        ModelTrainer.Fit(train, layout, spec, CancellationToken.None).Save(again);
        Assert.Equal(buffer.ToArray(), again.ToArray());
        buffer.Position = 0;
        var loaded = ModelPackage.Load(buffer);
        var (before, after) = (model.Predict(test), loaded.Predict(test));
        Assert.Equal(before.Values, after.Values);
        Assert.Equal(before.Probability ?? before.Numbers, after.Probability ?? after.Numbers);
        Assert.Equal(before.ClassProbabilities?.SelectMany(p => p), after.ClassProbabilities?.SelectMany(p => p));
    }

    [Fact]
    public void EverySearchedParameter_IsAnOptionOfItsTrainer()
    {
        foreach (var t in TrainerCatalog.All)
            foreach (var p in t.Space)
            {
                var options = new Dictionary<string, double> { [p.Name] = p.Integer ? Math.Round(p.Min) : p.Min };
                var e = Record.Exception(() => t.Create(new Microsoft.ML.MLContext(1), options, new TrainerFit(1, false)));
                Assert.True(e is null, $"{t.Task} {t.Name}: {p.Name}: {e?.Message}");
            }
    }

    [Fact]
    public void UnknownTrainer_ListsTheTasksTrainers()
    {
        var e = Assert.Throws<TendException>(() => TrainerCatalog.Find(MlTask.Multiclass, "fastforest"));
        Assert.Equal(ErrorCode.BadUsage, e.Code);
        Assert.Contains("unknown trainer 'fastforest' for a multiclass task (tend.yaml train.trainers); choose one of: lightgbm, sdca, lbfgs, fasttree_ova", e.Message);
    }

    [Fact]
    public void Poisson_RefusesNegativeLabels_NamingHowMany()
    {
        var rows = Penguins.Value.Rows.Where(r => r[5] is not null).Select((r, i) => i < 3 ? [.. r[..5], "-1", .. r[6..]] : r).ToList();
        var data = new Table(Penguins.Value.Columns, rows);
        var (_, spec, _, _) = Problem(MlTask.Regression, "poisson");
        var e = Assert.Throws<TendException>(() => ModelTrainer.Fit(data, FeatureLayout.From(SchemaInference.Infer(data), spec, data.Column(5)), spec, CancellationToken.None));
        Assert.Contains("trainer 'poisson' models counts: its labels must not be negative; 'body_mass_g' has 3 negative values", e.Message);
    }
}
