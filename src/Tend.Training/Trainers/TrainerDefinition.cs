using Microsoft.ML;
using Microsoft.ML.Trainers;
using Tend.Core.Spec;

namespace Tend.Training.Trainers;

/// <summary>
/// One trainer of the catalog for one task: its name in tend.yaml, what it is, whether it needs scaled features,
/// the hyperparameters a search varies, its ML.NET options (with Tend's fixed settings: seed, one thread) and how it is
/// built from them, and whether its labels must not be negative (Poisson regression models counts).
/// </summary>
public sealed record TrainerDefinition(
    string Name,
    MlTask Task,
    string Description,
    bool Linear,
    IReadOnlyList<ParamRange> Space,
    Func<int, TrainerInputBaseWithLabel> Options,
    Func<MLContext, TrainerInputBaseWithLabel, IEstimator<ITransformer>> Build,
    bool NonNegativeLabels = false)
{
    /// <summary>The estimator with the options tend.yaml sets by their snake_case names; an unknown one is an error listing the valid ones.</summary>
    public IEstimator<ITransformer> Create(MLContext ml, IReadOnlyDictionary<string, double> values, int seed)
    {
        var options = Options(seed);
        options.LabelColumnName = TrainerCatalog.Label;
        options.FeatureColumnName = TrainerCatalog.Features;
        return Build(ml, TrainerOptions.Apply(options, Name, values));
    }

    /// <summary>The default value of each searched hyperparameter (ML.NET's, unless Tend fixes it); null where the trainer chooses from the data.</summary>
    public IReadOnlyDictionary<string, double?> Defaults => TrainerOptions.Read(Options(0), Space.Select(p => p.Name));
}
