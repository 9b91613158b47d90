using Microsoft.ML;
using Microsoft.ML.Trainers;
using Tend.Core.Spec;

namespace Tend.Training.Trainers;

/// <summary>
/// One trainer of the catalog for one task: its name in tend.yaml, what it is, whether it needs scaled features,
/// the hyperparameters a search varies, its ML.NET options (with Tend's fixed settings: seed, one thread) and how it is
/// built from them, whether its labels must not be negative (Poisson regression models counts), and for a boosting
/// trainer the option that counts its rounds, which early stopping chooses when tend.yaml leaves it out.
/// </summary>
public sealed record TrainerDefinition(
    string Name,
    MlTask Task,
    string Description,
    bool Linear,
    IReadOnlyList<ParamRange> Space,
    Func<TrainerFit, TrainerInputBaseWithLabel> Options,
    Func<MLContext, TrainerInputBaseWithLabel, IEstimator<ITransformer>> Build,
    bool NonNegativeLabels = false,
    string? Rounds = null)
{
    /// <summary>The estimator with the options tend.yaml sets by their snake_case names; an unknown one is an error listing the valid ones.</summary>
    public IEstimator<ITransformer> Create(MLContext ml, IReadOnlyDictionary<string, double> values, TrainerFit fit)
    {
        var options = Options(fit);
        options.LabelColumnName = TrainerCatalog.Label;
        options.FeatureColumnName = TrainerCatalog.Features;
        return Build(ml, TrainerOptions.Apply(options, Name, values));
    }

    /// <summary>The default value of each searched hyperparameter (ML.NET's, unless Tend fixes it); null where the trainer chooses from the data, as early stopping chooses the rounds.</summary>
    public IReadOnlyDictionary<string, double?> Defaults => TrainerOptions.Read(Options(new TrainerFit(0, false)), Space.Select(p => p.Name))
        .ToDictionary(d => d.Key, d => d.Key == Rounds ? null : d.Value);
}

/// <summary>
/// What a trainer's settings may depend on besides tend.yaml: the seed, and whether a categorical column of the data
/// has more than <see cref="FewLevels"/> levels. LightGBM then splits categories as sets; up to that, one indicator at a
/// time splits as well and overfits less (LightGBM's own max_cat_to_onehot rule, at the level of the data set).
/// </summary>
public sealed record TrainerFit(int Seed, bool ManyLevels, int Rows = 0)
{
    public const int FewLevels = 10;
}
