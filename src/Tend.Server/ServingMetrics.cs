using Prometheus;

namespace Tend.Server;

/// <summary>The Prometheus series of the prediction endpoint, beside prometheus-net's HTTP metrics at /metrics.</summary>
internal static class ServingMetrics
{
    public static readonly Counter Predictions = Metrics.CreateCounter(
        "tend_predictions_total", "Rows predicted, by model and version.", "model", "version");

    public static readonly Histogram Latency = Metrics.CreateHistogram(
        "tend_prediction_seconds", "Time to read, predict and log one predict request.",
        new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    public static readonly Gauge LoadSeconds = Metrics.CreateGauge(
        "tend_model_load_seconds", "Time to read, check, load and warm up a model version.", "model", "version");
}
