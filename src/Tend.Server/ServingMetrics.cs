using System.Globalization;
using Prometheus;
using Tend.Pipelines.Services;
using Tend.Serving;

namespace Tend.Server;

/// <summary>
/// The Prometheus series of one server, in a registry of its own served at /metrics beside prometheus-net's HTTP
/// metrics and the process's: two servers in one process (tests, for one) count apart, and exactly.
/// </summary>
internal sealed class ServingMetrics
{
    /// <summary>The default registry is not served, so none of its collectors start (the event-counter and meter listeners cost CPU).</summary>
    static ServingMetrics() => Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
    {
        SuppressProcessMetrics = true, SuppressDebugMetrics = true, SuppressEventCounters = true, SuppressMeters = true,
    });

    public ServingMetrics()
    {
        // The process metrics only: the .NET event-counter and meter adapters write names that break Prometheus's naming
        // rules (promtool check metrics fails on them), and they register with the default registry alone.
        DotNetStats.Register(Registry);
        Factory = Metrics.WithCustomRegistry(Registry);
        Predictions = Factory.CreateCounter("tend_predictions_total", "Rows predicted, by model, version and route (primary, canary, pinned).", ["model", "version", "route"]);
        Latency = Factory.CreateHistogram("tend_prediction_seconds", "Time to read, check, predict and log one answered request, by model, version and route.",
            new HistogramConfiguration { LabelNames = ["model", "version", "route"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
        UnknownFields = Factory.CreateCounter("tend_unknown_fields_total", "Fields sent that are not features of the model (ignored), counted once a row.", ["model"]);
        UnseenCategories = Factory.CreateCounter("tend_unseen_categories_total", "Rows whose category the training data never held (allowed), by model and column.", ["model", "column"]);
        Errors = Factory.CreateCounter("tend_request_errors_total", "Requests answered with an error, by endpoint, kind (BadUsage, NotFound, …) and HTTP status.", ["endpoint", "kind", "status"]);
        LoadSeconds = Factory.CreateGauge("tend_model_load_seconds", "Time to read, check, load and warm up a model version.", ["model", "version"]);
        AlertsOpen = Factory.CreateGauge("tend_alerts_open", "Unacknowledged alerts, by model, rule and severity (0 when none).", ["model", "rule", "severity"]);
        ReleaseState = Factory.CreateGauge("tend_release_state", "1 for the state the model's latest release is in (approval, shadow, canary, paused, held, promoted, rolled_back, …), 0 for the others.", ["model", "state"]);
        ReleaseTraffic = Factory.CreateGauge("tend_release_challenger_percent", "The share of requests the challenger of the model's active release answers (0 in the shadow phase and once it ends).", ["model", "version"]);
        ReleaseCheck = Factory.CreateGauge("tend_release_check_verdict", "The latest verdict of each check of the model's latest release: 1 pass, 0 not enough data, -1 fail.", ["model", "check"]);
    }

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Makes series in <see cref="Registry"/> (prometheus-net's HTTP metrics, for one).</summary>
    public IMetricFactory Factory { get; }

    private Counter Predictions { get; }
    private Histogram Latency { get; }
    private Counter UnknownFields { get; }
    private Counter UnseenCategories { get; }
    private Counter Errors { get; }
    private Gauge LoadSeconds { get; }
    private Gauge AlertsOpen { get; }
    private Gauge ReleaseState { get; }
    private Gauge ReleaseTraffic { get; }
    private Gauge ReleaseCheck { get; }

    /// <summary>How the predict path reports to these series.</summary>
    public ServingOptions Options(bool rejectUnknownFields, Core.Spec.LogDurability logDurability) => new(rejectUnknownFields, Observe, Answered, Loaded, logDurability);

    /// <summary>Counts an answered request of any protocol: its rows, and the time it took, by model, version and route.</summary>
    private void Answered(PredictionResponse response, TimeSpan took)
    {
        var version = response.Version.ToString(CultureInfo.InvariantCulture);
        Predictions.WithLabels(response.Model, version, response.Route).Inc(response.Predictions.Count);
        Latency.WithLabels(response.Model, version, response.Route).Observe(took.TotalSeconds);
    }

    /// <summary>Counts what a request's signature check found.</summary>
    private void Observe(string model, SignatureCheck check)
    {
        foreach (var (_, rows) in check.UnknownFields)
            UnknownFields.WithLabels(model).Inc(rows);
        foreach (var (column, rows) in check.UnseenCategories)
            UnseenCategories.WithLabels(model, column).Inc(rows);
    }

    private void Loaded(ServedModel served, TimeSpan took) =>
        LoadSeconds.WithLabels(served.Version.Name, served.Version.Version.ToString(CultureInfo.InvariantCulture)).Set(took.TotalSeconds);

    /// <summary>Counts a request answered with an error.</summary>
    public void Failed(string endpoint, string kind, int status) => Errors.WithLabels(endpoint, kind, status.ToString(CultureInfo.InvariantCulture)).Inc();

    /// <summary>The shadow's queue and what it dropped or could not score, read at each scrape.</summary>
    public void Watch(ShadowScorer shadow)
    {
        var depth = Factory.CreateGauge("tend_shadow_queue_depth", "Request copies queued for the shadow or being scored.");
        var dropped = Factory.CreateGauge("tend_shadow_dropped", "Request copies dropped since start because the shadow's queue was full.");
        var failed = Factory.CreateGauge("tend_shadow_failures", "Request copies the shadow could not score since start.");
        Registry.AddBeforeCollectCallback(() =>
        {
            depth.Set(shadow.Pending);
            dropped.Set(shadow.Dropped);
            failed.Set(shadow.Failures);
        });
    }

    /// <summary>
    /// The alert channel of Prometheus: <c>tend_alerts_open{model, rule, severity}</c>, the unacknowledged alerts of each
    /// rule in each project's tend.yaml (0 when none), read from the alert history at each scrape.
    /// </summary>
    public void WatchAlerts(IReadOnlyList<Core.Spec.ProjectSpec> projects, MonitoringService monitoring) =>
        Registry.AddBeforeCollectCallback(async ct =>
        {
            IReadOnlyList<Core.Domain.Alert> alerts;
            try
            {
                alerts = await monitoring.AlertsAsync(all: false, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return; // the store is away: the gauges keep their last values rather than fail the scrape
            }
            foreach (var spec in projects)
                foreach (var rule in spec.Monitor.Alerts ?? [])
                    AlertsOpen.WithLabels(spec.Name, rule.Name, rule.Severity.ToString().ToLowerInvariant())
                        .Set(alerts.Count(a => a.Rule == rule.Name && a.Model == spec.Name));
        });

    /// <summary>Where each model's latest release stands, read from the store at each scrape: its state, the challenger's share of requests, and each check's latest verdict.</summary>
    public void WatchReleases(Pipelines.Workspace ws) =>
        Registry.AddBeforeCollectCallback(async ct =>
        {
            IReadOnlyList<Core.Domain.Release> releases;
            try
            {
                releases = await Pipelines.Releases.ReleaseController.LatestAsync(ws, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return; // as for the alerts: the last values stay
            }
            foreach (var release in releases)
            {
                foreach (var state in Enum.GetValues<Core.Domain.ReleaseState>())
                    ReleaseState.WithLabels(release.Model, Core.Domain.TendJson.Name(state)).Set(state == release.State ? 1 : 0);
                ReleaseTraffic.WithLabels(release.Model, release.Challenger.ToString(CultureInfo.InvariantCulture)).Set(release.ChallengerPercent);
                foreach (var check in release.LastJudged?.Checks ?? [])
                    ReleaseCheck.WithLabels(release.Model, check.Name).Set(check.Verdict switch { Core.Domain.CheckVerdict.Pass => 1, Core.Domain.CheckVerdict.Fail => -1, _ => 0 });
            }
        });
}
