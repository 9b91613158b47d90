using Tend.Evaluation.Explanation;
using Tend.Evaluation.Fairness;
using Tend.Evaluation.Uncertainty;

namespace Tend.Evaluation.Gates;

/// <summary>What gates are judged on: the metrics, the comparison with the champion (none without one), fairness per protected attribute, the measured latency and the model file's size.</summary>
public sealed record GateEvidence(
    IReadOnlyDictionary<string, double> Metrics,
    ChampionComparison? Champion = null,
    IReadOnlyDictionary<string, FairnessResult>? Fairness = null,
    Latency? Latency = null,
    long? ModelBytes = null);
