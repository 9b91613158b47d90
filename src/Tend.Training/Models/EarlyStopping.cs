using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Tend.Core.Spec;
using Tend.Data.Splits;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Trainers;

namespace Tend.Training.Models;

/// <summary>
/// How many rounds a boosting trainer gets when tend.yaml sets none. It boosts on an inner split of the training rows
/// (<see cref="ValidationFraction"/> held out by the seeded split, stratified for classes) while its loss on the
/// held-out rows improves, and stops <see cref="Patience"/> rounds after the best, at most <see cref="MaxRounds"/>.
/// Below <see cref="SmallData"/> rows one split's choice is noisy, so it takes the median of
/// <see cref="SmallDataSplits"/> splits drawn with the seeds after the holdout's. The model is then refitted on all the training rows
/// with that many rounds: no row is lost to the inner split.
/// </summary>
public static class EarlyStopping
{
    public const double ValidationFraction = 0.2;
    public const int Patience = 20, MaxRounds = 1000, SmallData = 2_000, SmallDataSplits = 5;

    /// <summary>The trainer with its rounds set: as tend.yaml gives them, or chosen here when the trainer boosts.</summary>
    public static TrainerSpec Resolve(MLContext ml, Table train, FeatureLayout layout, ProjectSpec spec, TrainerSpec trainer)
    {
        var definition = TrainerCatalog.Find(layout.Task, trainer.Name);
        if (definition.Rounds is not { } rounds || trainer.Options.ContainsKey(rounds))
            return trainer;
        var splits = train.Rows.Count < SmallData ? SmallDataSplits : 1;
        var best = Enumerable.Range(0, splits).Select(i => BestRounds(ml, train, layout, spec, trainer, definition, rounds, spec.Split.Seed + 1 + i)).Order().ElementAt(splits / 2);
        return trainer with { Options = new Dictionary<string, double>(trainer.Options) { [rounds] = best } };
    }

    private static int BestRounds(MLContext ml, Table train, FeatureLayout layout, ProjectSpec spec, TrainerSpec trainer, TrainerDefinition definition, string rounds, int seed)
    {
        // Not the holdout's own seed: the training rows are those its positions put beyond the test fraction, so a
        // random split by the same positions would hold out none of them.
        var (inner, validation) = HoldoutSplit.Split(train, spec with { Split = new SplitSpec(ValidationFraction, seed) });
        var innerLayout = layout with { Prepared = Preparation.Fit(inner, layout, spec.PrepareOrDefault) };
        var inputs = new InputBuilder(innerLayout);
        var innerData = inputs.ToDataView(ml, inner);
        var featurizer = ModelPipeline.Featurizer(ml, innerLayout, definition).Fit(innerData);
        var (trainSet, validationSet) = (featurizer.Transform(innerData), featurizer.Transform(inputs.ToDataView(ml, validation)));
        var options = new Dictionary<string, double>(trainer.Options) { [rounds] = MaxRounds, ["early_stopping_round"] = Patience };
        // LightGBM keeps the trees up to the best round when it stops early.
        return definition.Create(ml, options, ModelPipeline.FitOf(inner, innerLayout, spec.Split.Seed)) switch
        {
            LightGbmBinaryTrainer binary => Trees(binary.Fit(trainSet, validationSet).Model),
            LightGbmMulticlassTrainer multiclass => Trees(multiclass.Fit(trainSet, validationSet).Model) / layout.Classes.Count,
            LightGbmRegressionTrainer regression => Trees(regression.Fit(trainSet, validationSet).Model),
            _ => throw new InvalidOperationException($"trainer '{trainer.Name}' names its rounds but cannot stop early"),
        };
    }

    private static int Trees(object model) => model switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree trees => trees.TrainedTreeEnsemble.Trees.Count,
        CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator> calibrated => Trees(calibrated.SubModel),
        // ML.NET keeps a multiclass LightGBM's per-class ensembles internal; each holds one tree a round.
        OneVersusAllModelParameters perClass => ((IEnumerable<object>)typeof(OneVersusAllModelParameters)
            .GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(perClass)!).Sum(Trees),
        _ => throw new InvalidOperationException($"cannot count the trees of a {model.GetType().Name}"),
    };
}
