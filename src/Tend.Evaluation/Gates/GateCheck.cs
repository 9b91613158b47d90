using Tend.Core.Domain;
using Tend.Core.Spec;

namespace Tend.Evaluation.Gates;

/// <summary>Checks the evidence against quality gates; a value that was not measured, or is not a number, fails its gate.</summary>
public static class GateCheck
{
    public static IReadOnlyList<GateResult> Check(GateEvidence evidence, IEnumerable<Gate> gates) =>
        gates.Select(gate => Check(evidence, gate)).ToList();

    private static GateResult Check(GateEvidence e, Gate gate) => gate.Kind switch
    {
        Gate.ChampionKind => VersusChampion(e, gate),
        Gate.FairnessKind => Bounds($"{gate.Fairness}[{gate.Attribute}]", gate.Kind, e.Fairness?.GetValueOrDefault(gate.Attribute!)?.Measure(gate.Fairness!), gate.Min, gate.Max),
        Gate.LatencyKind => Bounds("latency_p99_ms", gate.Kind, e.Latency?.P99Ms, null, gate.LatencyP99Ms),
        Gate.SizeKind => Bounds("model_size_mb", gate.Kind, e.ModelBytes / (1024.0 * 1024.0), null, gate.ModelSizeMb),
        _ => Bounds(gate.Metric!, gate.Kind, e.Metrics.TryGetValue(gate.Metric!, out var v) ? v : null, gate.Min, gate.Max),
    };

    private static GateResult Bounds(string name, string kind, double? actual, double? min, double? max)
    {
        if (actual is not { } value || double.IsNaN(value))
            return new GateResult(name, kind, null, min, max, false, $"{name} was not measured");
        if (min is { } low && value < low)
            return new GateResult(name, kind, value, min, max, false, $"{name} {F(value)} is below the bar {F(low)}");
        if (max is { } high && value > high)
            return new GateResult(name, kind, value, min, max, false, $"{name} {F(value)} is above the limit {F(high)}");
        var bound = min is { } m ? $">= {F(m)}" : $"<= {F(max!.Value)}";
        return new GateResult(name, kind, value, min, max, true, $"{name} {F(value)} {bound}");
    }

    /// <summary>
    /// On the rows both models are scored on, the challenger's gain (positive = better, whichever way the metric points)
    /// must be at least −max_drop, at least min_gain, and with significantly_better its whole 95 % interval above 0.
    /// </summary>
    private static GateResult VersusChampion(GateEvidence e, Gate gate)
    {
        var name = $"{gate.Metric} vs champion";
        if (e.Champion is null)
            return new GateResult(name, gate.Kind, null, null, null, true, "no champion to compare with");
        if (e.Champion.Of(gate.Metric!) is not { } c || double.IsNaN(c.Gain))
            return new GateResult(name, gate.Kind, null, null, null, false, $"{gate.Metric} was not compared with champion v{e.Champion.Version}");
        var min = Math.Max(gate.MaxDropVsChampion is { } drop ? -drop : double.NegativeInfinity, gate.MinGainVsChampion ?? double.NegativeInfinity);
        var versus = $"{gate.Metric} {F(c.Challenger)} vs champion v{e.Champion.Version}'s {F(c.Champion)} (gain {F(c.Gain)}, 95% interval of the difference [{F(c.Difference.Low)}, {F(c.Difference.High)}])";
        if (c.Gain < min)
            return new GateResult(name, gate.Kind, c.Gain, min, null, false,
                $"{versus}: {(gate.MaxDropVsChampion is { } d && -d >= (gate.MinGainVsChampion ?? double.NegativeInfinity) ? $"drops more than {F(d)}" : $"gains less than {F(min)}")}");
        if (gate.SignificantlyBetterThanChampion && !c.SignificantlyBetter)
            return new GateResult(name, gate.Kind, c.Gain, double.IsNegativeInfinity(min) ? null : min, null, false, $"{versus}: not significantly better");
        return new GateResult(name, gate.Kind, c.Gain, double.IsNegativeInfinity(min) ? null : min, null, true,
            $"{versus}{(gate.SignificantlyBetterThanChampion ? ": significantly better" : "")}");
    }

    private static string F(double value) => Figures.Number(value);
}
