namespace Tend.Evaluation.Uncertainty;

/// <summary>
/// A metric (or a difference of two) with its bootstrap percentile interval: <see cref="Resamples"/> resamples drawn
/// with <see cref="Seed"/>, of which <see cref="Undefined"/> gave no value (e.g. one class only) and were left out.
/// </summary>
public sealed record Interval(string Metric, double Value, double Low, double High, double Confidence, int Resamples, int Seed, int Undefined)
{
    public bool Excludes(double value) => value < Low || value > High;
}
