using Microsoft.ML;
using Tend.Core.Spec;

namespace Tend.Training.Trainers;

/// <summary>
/// One trainer of the catalog for one task: its name in tend.yaml, what it is, whether it needs scaled features,
/// the hyperparameters a search varies, how to build it from options (by their snake_case names), and whether its
/// labels must not be negative (Poisson regression models counts).
/// </summary>
public sealed record TrainerDefinition(
    string Name,
    MlTask Task,
    string Description,
    bool Linear,
    IReadOnlyList<ParamRange> Space,
    Func<MLContext, IReadOnlyDictionary<string, double>, int, IEstimator<ITransformer>> Create,
    bool NonNegativeLabels = false);
