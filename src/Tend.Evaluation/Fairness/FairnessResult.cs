namespace Tend.Evaluation.Fairness;

/// <summary>
/// How a model treats the groups of one protected attribute, with fairlearn's summary measures: demographic parity
/// difference (max − min selection rate) and ratio (min / max), equal opportunity difference (max − min true positive
/// rate), equalized odds difference (the larger of the TPR and FPR gaps); for regression the MAE and mean-error gaps; for
/// multiclass the accuracy gap. A measure the task does not have is null.
/// </summary>
public sealed record FairnessResult(
    string Attribute,
    IReadOnlyList<GroupFigures> Groups,
    double? DemographicParityDifference = null,
    double? DemographicParityRatio = null,
    double? EqualOpportunityDifference = null,
    double? EqualizedOddsDifference = null,
    double? AccuracyDifference = null,
    double? MaeDifference = null,
    double? MeanErrorDifference = null)
{
    /// <summary>A measure by its tend.yaml name (<see cref="Core.Spec.Gate.FairnessMeasures"/>); null where the task has none.</summary>
    public double? Measure(string name) => name switch
    {
        "demographic_parity_difference" => DemographicParityDifference,
        "demographic_parity_ratio" => DemographicParityRatio,
        "equal_opportunity_difference" => EqualOpportunityDifference,
        "equalized_odds_difference" => EqualizedOddsDifference,
        "accuracy_difference" => AccuracyDifference,
        "mae_difference" => MaeDifference,
        "mean_error_difference" => MeanErrorDifference,
        _ => null,
    };
}
