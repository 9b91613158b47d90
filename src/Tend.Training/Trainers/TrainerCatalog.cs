using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Training.Trainers;

/// <summary>
/// The trainers Tend offers, by the name tend.yaml uses, for each task, with ML.NET's defaults and the ranges a search
/// varies (docs/training.md). Tree trainers run on one thread: the same data and seed then give the same model.
/// </summary>
public static class TrainerCatalog
{
    public const string Label = "Label";
    public const string Features = "Features";

    /// <summary>One thread: LightGBM and FastTree then give the same model for the same data and seed, every time.</summary>
    private const int Threads = 1;

    /// <summary>
    /// LightGBM's settings, the default trainer's (bench/README.md, "Default model quality"): scikit-learn's
    /// HistGradientBoosting trees (31 leaves, 20 rows a leaf, learning rate 0.1) with the rounds chosen by early stopping
    /// unless tend.yaml sets number_of_iterations (<see cref="Models.EarlyStopping"/>); categories split as sets of
    /// categories when a column has many (<see cref="TrainerFit"/>). Multiclass stops early on log-loss: the error rate
    /// of a small validation set hardly moves from one round to the next.
    /// </summary>
    private const int Leaves = 31, LeafRows = 20;
    private const double Rate = 0.1;

    private const string LightGbmRounds = "number_of_iterations";

    private static readonly ParamRange[] Boosting =
    [
        new("number_of_leaves", 8, 128, Log: true, Integer: true),
        new("learning_rate", 0.02, 0.3, Log: true),
        new("minimum_example_count_per_leaf", 5, 100, Log: true, Integer: true),
    ];

    private static readonly ParamRange[] LightGbmSpace = [.. Boosting, new("number_of_iterations", 50, 500, Log: true, Integer: true)];
    private static readonly ParamRange[] FastTreeSpace = [.. Boosting, new("number_of_trees", 50, 500, Log: true, Integer: true)];

    private static readonly ParamRange[] ForestSpace =
    [
        new("number_of_leaves", 8, 128, Log: true, Integer: true),
        new("number_of_trees", 50, 300, Log: true, Integer: true),
        new("minimum_example_count_per_leaf", 2, 50, Log: true, Integer: true),
        new("feature_fraction", 0.3, 1),
    ];

    private static readonly ParamRange[] SdcaSpace = [new("l2_regularization", 1e-6, 1, Log: true), new("l1_regularization", 1e-6, 1, Log: true)];
    private static readonly ParamRange[] LbfgsSpace = [new("l2_regularization", 1e-4, 10, Log: true), new("l1_regularization", 1e-4, 10, Log: true)];

    public static readonly IReadOnlyList<TrainerDefinition> All =
    [
        new("lightgbm", MlTask.Binary, "LightGBM gradient-boosted trees", false, LightGbmSpace,
            fit => new LightGbmBinaryTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads, Silent = true, NumberOfLeaves = Leaves, MinimumExampleCountPerLeaf = LeafRows, LearningRate = Rate, UseCategoricalSplit = fit.ManyLevels },
            (ml, o) => ml.BinaryClassification.Trainers.LightGbm((LightGbmBinaryTrainer.Options)o), Rounds: LightGbmRounds),
        new("fasttree", MlTask.Binary, "FastTree (MART) gradient-boosted trees, Platt-calibrated", false, FastTreeSpace,
            fit => new FastTreeBinaryTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads },
            (ml, o) => ml.BinaryClassification.Trainers.FastTree((FastTreeBinaryTrainer.Options)o)),
        new("fastforest", MlTask.Binary, "FastForest random forest, Platt-calibrated", false, ForestSpace,
            fit => new FastForestBinaryTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads },
            (ml, o) => Calibrated(ml, ml.BinaryClassification.Trainers.FastForest((FastForestBinaryTrainer.Options)o))),
        new("sdca", MlTask.Binary, "SDCA logistic regression (linear)", true, SdcaSpace,
            fit => new SdcaLogisticRegressionBinaryTrainer.Options { NumberOfThreads = Threads },
            (ml, o) => ml.BinaryClassification.Trainers.SdcaLogisticRegression((SdcaLogisticRegressionBinaryTrainer.Options)o)),
        new("lbfgs", MlTask.Binary, "L-BFGS logistic regression (linear)", true, LbfgsSpace,
            fit => new LbfgsLogisticRegressionBinaryTrainer.Options { NumberOfThreads = Threads },
            (ml, o) => ml.BinaryClassification.Trainers.LbfgsLogisticRegression((LbfgsLogisticRegressionBinaryTrainer.Options)o)),

        new("lightgbm", MlTask.Multiclass, "LightGBM gradient-boosted trees (softmax)", false, LightGbmSpace,
            fit => new LightGbmMulticlassTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads, Silent = true, NumberOfLeaves = Leaves, MinimumExampleCountPerLeaf = LeafRows, LearningRate = Rate, UseCategoricalSplit = fit.ManyLevels, EvaluationMetric = LightGbmMulticlassTrainer.Options.EvaluateMetricType.LogLoss },
            (ml, o) => ml.MulticlassClassification.Trainers.LightGbm((LightGbmMulticlassTrainer.Options)o), Rounds: LightGbmRounds),
        new("sdca", MlTask.Multiclass, "SDCA maximum entropy (linear)", true, SdcaSpace,
            fit => new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = Threads },
            (ml, o) => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy((SdcaMaximumEntropyMulticlassTrainer.Options)o)),
        new("lbfgs", MlTask.Multiclass, "L-BFGS maximum entropy (linear)", true, LbfgsSpace,
            fit => new LbfgsMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = Threads },
            (ml, o) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy((LbfgsMaximumEntropyMulticlassTrainer.Options)o)),
        new("fasttree_ova", MlTask.Multiclass, "one-versus-all FastTree, one calibrated binary model a class", false, FastTreeSpace,
            fit => new FastTreeBinaryTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads },
            (ml, o) => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree((FastTreeBinaryTrainer.Options)o), Label)),

        new("lightgbm", MlTask.Regression, "LightGBM gradient-boosted trees", false, LightGbmSpace,
            fit => new LightGbmRegressionTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads, Silent = true, NumberOfLeaves = Leaves, MinimumExampleCountPerLeaf = LeafRows, LearningRate = Rate, UseCategoricalSplit = fit.ManyLevels },
            (ml, o) => ml.Regression.Trainers.LightGbm((LightGbmRegressionTrainer.Options)o), Rounds: LightGbmRounds),
        new("fasttree", MlTask.Regression, "FastTree (MART) gradient-boosted trees", false, FastTreeSpace,
            fit => new FastTreeRegressionTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads },
            (ml, o) => ml.Regression.Trainers.FastTree((FastTreeRegressionTrainer.Options)o)),
        new("fastforest", MlTask.Regression, "FastForest random forest", false, ForestSpace,
            fit => new FastForestRegressionTrainer.Options { Seed = fit.Seed, NumberOfThreads = Threads },
            (ml, o) => ml.Regression.Trainers.FastForest((FastForestRegressionTrainer.Options)o)),
        new("sdca", MlTask.Regression, "SDCA least squares (linear)", true, SdcaSpace,
            fit => new SdcaRegressionTrainer.Options { NumberOfThreads = Threads },
            (ml, o) => ml.Regression.Trainers.Sdca((SdcaRegressionTrainer.Options)o)),
        new("poisson", MlTask.Regression, "L-BFGS Poisson regression (counts; labels must not be negative)", true, LbfgsSpace,
            fit => new LbfgsPoissonRegressionTrainer.Options { NumberOfThreads = Threads },
            (ml, o) => ml.Regression.Trainers.LbfgsPoissonRegression((LbfgsPoissonRegressionTrainer.Options)o), NonNegativeLabels: true),
    ];

    public static IEnumerable<TrainerDefinition> For(MlTask task) => All.Where(t => t.Task == task);

    /// <summary>The trainer of that name for the task, or an error listing the task's trainers.</summary>
    public static TrainerDefinition Find(MlTask task, string name) =>
        For(task).FirstOrDefault(t => t.Name == name)
        ?? throw TendException.BadUsage($"unknown trainer '{name}' for a {task.ToString().ToLowerInvariant()} task (tend.yaml train.trainers); choose one of: {string.Join(", ", For(task).Select(t => t.Name))}");

    /// <summary>Every trainer of <c>train.trainers</c> exists for the task and takes its <c>train.params</c>; else an error lists the valid ones.</summary>
    public static void Check(ProjectSpec spec)
    {
        var ml = new MLContext();
        foreach (var trainer in spec.Train.Trainers)
            Find(spec.Task, trainer.Name).Create(ml, trainer.Options, new TrainerFit(0, false));
    }

    /// <summary>A random forest's scores are not probabilities: Platt scaling on the training data makes them so.</summary>
    private static IEstimator<ITransformer> Calibrated(MLContext ml, IEstimator<ITransformer> trainer) =>
        trainer.Append(ml.BinaryClassification.Calibrators.Platt(labelColumnName: Label));
}
