using Prometheus;

using Tend.Pipelines.Services;
using Tend.Serving;

namespace Tend.Server;

/// <summary>The Prometheus series of the prediction endpoint, beside prometheus-net's HTTP metrics at /metrics.</summary>
internal static class ServingMetrics
{
    /// <summary>
    /// Keeps the process metrics and drops the .NET event-counter and meter adapters, whose names break Prometheus's
    /// naming rules (promtool check metrics fails on them). First, so it runs before the registry is used.
    /// </summary>
    private static readonly bool Conventional = Suppress();

    private static bool Suppress()
    {
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });
        return true;
    }

    /// <summary>Sets up the registry; call before anything else touches it.</summary>
    public static void Start() => _ = Conventional;

    public static readonly Counter Predictions = Metrics.CreateCounter(
        "tend_predictions_total", "Rows predicted, by model, version and route (primary, canary, pinned).", "model", "version", "route");

    public static readonly Histogram Latency = Metrics.CreateHistogram(
        "tend_prediction_seconds", "Time to read, check, predict and log one answered request, by model, version and route.",
        new HistogramConfiguration { LabelNames = ["model", "version", "route"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });

    /// <summary>Counts an answered request of any protocol: its rows, and the time it took, by model, version and route.</summary>
    public static void Answered(PredictionResponse response, TimeSpan took)
    {
        var version = response.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Predictions.WithLabels(response.Model, version, response.Route).Inc(response.Predictions.Count);
        Latency.WithLabels(response.Model, version, response.Route).Observe(took.TotalSeconds);
    }

    private static ShadowScorer? _shadow;

    /// <summary>The shadow's queue and what it dropped or could not score, read at each scrape (of the newest server in the process).</summary>
    public static void Watch(ShadowScorer shadow)
    {
        if (Interlocked.Exchange(ref _shadow, shadow) is not null)
            return;
        var depth = Metrics.CreateGauge("tend_shadow_queue_depth", "Request copies queued for the shadow or being scored.");
        var dropped = Metrics.CreateGauge("tend_shadow_dropped", "Request copies dropped since start because the shadow's queue was full.");
        var failed = Metrics.CreateGauge("tend_shadow_failures", "Request copies the shadow could not score since start.");
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            depth.Set(_shadow.Pending);
            dropped.Set(_shadow.Dropped);
            failed.Set(_shadow.Failures);
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Core.Spec.ProjectSpec Spec, MonitoringService Monitoring), bool> Alerting = new();
    private static int _alertsWatched;

    private static readonly Gauge AlertsOpen = Metrics.CreateGauge(
        "tend_alerts_open", "Unacknowledged alerts, by model, rule and severity (0 when none).", "model", "rule", "severity");

    /// <summary>
    /// The alert channel of Prometheus: <c>tend_alerts_open{model, rule, severity}</c>, the unacknowledged alerts of each
    /// rule in tend.yaml (0 when none), read from the alert history at each scrape, for every project served in the
    /// process until its server stops.
    /// </summary>
    public static void WatchAlerts(Core.Spec.ProjectSpec spec, MonitoringService monitoring, CancellationToken stopping)
    {
        Alerting[(spec, monitoring)] = true;
        stopping.Register(() => Alerting.TryRemove((spec, monitoring), out _));
        if (Interlocked.Exchange(ref _alertsWatched, 1) == 0)
            Metrics.DefaultRegistry.AddBeforeCollectCallback(CollectAlertsAsync);
    }

    private static async Task CollectAlertsAsync(CancellationToken ct)
    {
        foreach (var (spec, monitoring) in Alerting.Keys)
        {
            IReadOnlyList<Core.Domain.Alert> alerts;
            try
            {
                alerts = await monitoring.AlertsAsync(all: false, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                continue; // the store is away: the gauges keep their last values rather than fail the scrape
            }
            foreach (var rule in spec.Monitor.Alerts ?? [])
                AlertsOpen.WithLabels(spec.Name, rule.Name, rule.Severity.ToString().ToLowerInvariant())
                    .Set(alerts.Count(a => a.Rule == rule.Name && a.Model == spec.Name));
        }
    }

    public static readonly Counter UnknownFields = Metrics.CreateCounter(
        "tend_unknown_fields_total", "Fields sent that are not features of the model (ignored), counted once a row.", "model");

    public static readonly Counter UnseenCategories = Metrics.CreateCounter(
        "tend_unseen_categories_total", "Rows whose category the training data never held (allowed), by model and column.", "model", "column");

    /// <summary>Counts what a request's signature check found.</summary>
    public static void Observe(string model, SignatureCheck check)
    {
        foreach (var (_, rows) in check.UnknownFields)
            UnknownFields.WithLabels(model).Inc(rows);
        foreach (var (column, rows) in check.UnseenCategories)
            UnseenCategories.WithLabels(model, column).Inc(rows);
    }

    public static readonly Counter Errors = Metrics.CreateCounter(
        "tend_request_errors_total", "Requests answered with an error, by endpoint, kind (BadUsage, NotFound, …) and HTTP status.", "endpoint", "kind", "status");

    public static readonly Gauge LoadSeconds = Metrics.CreateGauge(
        "tend_model_load_seconds", "Time to read, check, load and warm up a model version.", "model", "version");
}
