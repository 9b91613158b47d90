namespace Tend.Evaluation.Gates;

/// <summary>
/// The verdict of one quality gate: what it checks (<see cref="Gate"/>, e.g. <c>auc</c>, <c>auc vs champion</c>,
/// <c>demographic_parity_difference[Marital]</c>), the measured value, the bounds it had to keep, and the reason in words.
/// </summary>
public sealed record GateResult(string Gate, string Kind, double? Actual, double? Min, double? Max, bool Passed, string Reason);
