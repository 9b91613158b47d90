namespace Tend.Core.Domain;

/// <summary>
/// One stored evaluation of a run's model: on which data, by whom, whether every gate passed (and which failed), against
/// which champion version, and where the full report (curves, slices, fairness, importance) is kept as an artifact.
/// </summary>
public sealed record EvaluationRecord(
    string Id,
    string RunId,
    string Subject,
    string Data,
    DateTimeOffset Created,
    string Actor,
    bool Passed,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> FailedGates,
    int? ChampionVersion,
    string Report);
