using System.Diagnostics;
using Tend.Data.Profiling;
using Tend.Data.Tabular;
using Tend.Training.Features;
using Tend.Training.Models;

namespace Tend.Evaluation.Explanation;

/// <summary>Single-row prediction latency as serving sees it: one row at a time (a pooled prediction engine, or one run of an ONNX graph), after a warm-up.</summary>
public sealed record Latency(int Predictions, double P50Ms, double P99Ms);

public static class LatencyProbe
{
    /// <summary>1,000 timed predictions give a p99 from the ten slowest, after 100 untimed ones fill the caches and the JIT.</summary>
    public const int Timed = 1000;
    public const int WarmUp = 100;

    public static Latency Measure(IPredictor model, Table rows)
    {
        var inputs = model.Inputs.FromTable(rows).Select(input => (IReadOnlyList<ModelInput>)[input]).ToList();
        for (var i = 0; i < WarmUp; i++)
            model.Predict(inputs[i % inputs.Count]);
        var times = new double[Timed];
        for (var i = 0; i < Timed; i++)
        {
            var start = Stopwatch.GetTimestamp();
            model.Predict(inputs[i % inputs.Count]);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var sorted = times.Order().ToList();
        return new Latency(Timed, Quantiles.Of(sorted, 0.5), Quantiles.Of(sorted, 0.99));
    }
}
