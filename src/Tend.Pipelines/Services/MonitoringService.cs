using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Pipelines.Services;

/// <summary>What monitoring has stored, for the front ends: reports, alerts and their acknowledgement, and late labels (feedback).</summary>
public sealed class MonitoringService
{
    private readonly IMetadataStore _store;
    private readonly TimeProvider _time;

    internal MonitoringService(IMetadataStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Monitor reports, oldest first; or those of one model.</summary>
    public async Task<IReadOnlyList<MonitorReport>> ReportsAsync(CancellationToken ct, string? model = null)
    {
        var reports = await _store.Monitors.ListAsync(ct);
        return model is null ? reports : reports.Where(r => r.Model == model).ToList();
    }

    /// <summary>A report by its id or a prefix of six or more characters of it; without an id, the newest.</summary>
    public async Task<MonitorReport> ReportAsync(string? id, CancellationToken ct)
    {
        var reports = await ReportsAsync(ct);
        return id is null
            ? reports.LastOrDefault() ?? throw TendException.NotFound("no monitor report yet; run 'tend monitor run'")
            : reports.FirstOrDefault(r => r.Id == id || (id.Length >= 6 && r.Id.StartsWith(id, StringComparison.Ordinal)))
              ?? throw TendException.NotFound($"no monitor report has id '{id}'; 'tend monitor list' shows them");
    }

    /// <summary>The open alerts, or every alert with <paramref name="all"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Alert>> AlertsAsync(bool all, CancellationToken ct) =>
        (await _store.Alerts.ListAsync(ct)).Where(a => all || a.Open).ToList();

    public async Task<Alert> AlertAsync(string id, CancellationToken ct) =>
        await _store.Alerts.GetAsync(id, ct) ?? throw TendException.NotFound($"no alert has id '{TextLimit.Excerpt(id)}'");

    /// <summary>Marks an open alert as handled by <paramref name="actor"/>; an unknown id is not found, a handled one a conflict.</summary>
    public async Task<Alert> AcknowledgeAsync(string id, string actor, string reason, CancellationToken ct)
    {
        TextLimit.Check("reason", reason);
        var alert = await AlertAsync(id, ct);
        if (!alert.Open)
            throw new TendException(ErrorCode.Conflict, $"alert {id} was acknowledged by {alert.AcknowledgedBy} at {alert.Acknowledged:O}");
        var handled = alert with { Acknowledged = _time.GetUtcNow(), AcknowledgedBy = actor };
        await _store.Alerts.SaveAsync(handled, new AuditEntry(actor, "alert.acknowledge", $"{alert.Model}@alert:{alert.Rule}", reason, TendJson.Serialize(alert), TendJson.Serialize(handled)), ct);
        return handled;
    }

    /// <summary>The prediction log of <paramref name="model"/> in a time window (either end open), with any feedback joined, oldest first.</summary>
    public Task<IReadOnlyList<PredictionRecord>> PredictionsAsync(string model, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        _store.Predictions.ListAsync(model, from, to, ct);

    /// <summary>Joins late labels to stored predictions by request id; returns the ids no prediction has.</summary>
    public Task<IReadOnlyList<string>> AddFeedbackAsync(IReadOnlyList<Feedback> feedback, CancellationToken ct, IReadOnlySet<string>? models = null) =>
        _store.Predictions.AddFeedbackAsync(feedback, ct, models);
}
