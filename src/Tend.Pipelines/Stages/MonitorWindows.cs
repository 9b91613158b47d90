using System.Globalization;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Tabular;
using Tend.Monitoring.Drift;
using Tend.Training.Models;

namespace Tend.Pipelines.Stages;

/// <summary>
/// One side of a monitor comparison: its name and rows, its columns (their names, and each read for the drift
/// statistics), the model's predictions on it (when a champion can score it), and when it is a window of served
/// traffic, the span of its answered requests, their quality and (for the current window, with a champion) what the
/// served metrics need of them. <see cref="Scored"/> is how many rows the predictions are of, when only a sample was scored.
/// </summary>
internal sealed record MonitorWindow(string Name, int Rows, IReadOnlyList<string> ColumnNames, DriftAnalysis.Window Columns, DriftAnalysis.Window? Predictions,
    (DateTimeOffset Oldest, DateTimeOffset Newest)? Span = null, RequestQuality? Quality = null, ServedTraffic? Served = null, int? Scored = null);

/// <summary>Reads each side of a monitor comparison from what the user named: a file, a dataset version, the prediction log, or the champion's training data.</summary>
internal static class MonitorWindows
{
    public static async Task<MonitorWindow> ReferenceAsync(Workspace ws, string? reference, ModelVersion? champion, IPredictor? model, IReadOnlyList<(string Name, ColumnType Type)> features, CancellationToken ct)
    {
        if (reference is not null)
            return Span(reference) is var (from, to) && (from is not null || to is not null)
                ? await LogAsync(ws, from, to, null, "reference", features, null, ct)
                : await DataAsync(ws, reference, model, features, ct);
        if (champion is null || model is null)
            throw new TendException(ErrorCode.NotFound, $"model '{ws.Spec.Name}' has no champion to take the reference from; name a file or dataset version as the reference") { Field = "reference" };
        // The champion's training data, from the profile stored at ingest (the data is not read again), and the
        // champion's own predictions on it, profiled when its run finished.
        var dataset = await ws.Datasets.GetAsync(ModelImport.DataOf(champion.Dataset, ws), ct);
        var run = await ws.GetRunAsync(champion.RunId, ct);
        var predictions = run.Artifacts.TryGetValue(PredictionProfile.ArtifactKey, out var path) ? DriftAnalysis.Of(await ws.Artifacts.ReadAsync<DataProfile>(path, ct)) : null;
        var profile = await ws.Datasets.LoadProfileAsync(dataset, ct);
        return new MonitorWindow(dataset.Reference, dataset.Rows, profile.Columns.Select(c => c.Name).ToList(), DriftAnalysis.Of(profile), predictions);
    }

    /// <summary>The window compared with the reference; of the prediction log, with what the served metrics need when the champion is loaded.</summary>
    public static async Task<MonitorWindow> CurrentAsync(Workspace ws, MonitorRequest request, IPredictor? model, IReadOnlyList<(string Name, ColumnType Type)> features, CancellationToken ct)
    {
        var served = model is null ? null : new ServedTraffic(model.Layout, ws.Spec);
        if (request.Current is not { } current)
            return await LogAsync(ws, request.From, request.To, null, "current", features, served, ct);
        if (current.StartsWith("last:", StringComparison.Ordinal))
        {
            var (from, rows) = Last(current, ws.Time.GetUtcNow());
            return await LogAsync(ws, from, request.To, rows, "current", features, served, ct);
        }
        return Span(current) is var (start, end) && (start is not null || end is not null)
            ? await LogAsync(ws, start, end, null, "current", features, served, ct)
            : await DataAsync(ws, current, model, features, ct);
    }

    /// <summary>
    /// A window of the prediction log, read as a stream (<see cref="LoggedTraffic"/>): the traffic the model answered (not
    /// the shadow's copies), at most the last <paramref name="rows"/> of it, with the requests refused over the same span
    /// counted apart. Its columns and predictions are summarized as they stream by (<see cref="StreamedWindow"/>), and
    /// each answered request is handed to <paramref name="served"/> when given.
    /// </summary>
    private static async Task<MonitorWindow> LogAsync(Workspace ws, DateTimeOffset? from, DateTimeOffset? to, int? rows, string field,
        IReadOnlyList<(string Name, ColumnType Type)> features, ServedTraffic? served, CancellationToken ct)
    {
        var log = new LoggedTraffic(ws, from, to, rows, features.Select(f => f.Name).ToList(), served);
        var window = await Task.Run(() => StreamedWindow.Read(log, [.. features, (PredictionProfile.Column, PredictionProfile.TypeFor(ws.Spec.Task))], ct), ct);
        if (log.Answered == 0)
            throw new TendException(ErrorCode.NotFound, $"no predictions of model '{ws.Spec.Name}' were logged{Window(from, to)}; serve traffic first, or name a file or dataset version as the {field}") { Field = field };
        var requests = log.Answered + log.Rejected;
        var latencies = log.Latencies.Result();
        return new MonitorWindow($"predictions{Window(log.Oldest, log.Newest)}", log.Answered, log.Sent, window.Window, window.Window, (log.Oldest, log.Newest),
            new RequestQuality(requests, log.Rejected, log.Rejected / (double)requests, log.RejectedByField, DeploymentStatus.Quantile(latencies, 0.5), DeploymentStatus.Quantile(latencies, 0.99)),
            served);
    }

    /// <summary><c>FROM..TO</c>, ISO 8601 times, either side may be left open: a span of the prediction log; else (null, null).</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To) Span(string text)
    {
        var at = text.IndexOf("..", StringComparison.Ordinal);
        if (at < 0 || text.Contains('/') || text.Contains('\\') || File.Exists(text) || Directory.Exists(text))
            return (null, null); // a path such as ../new.csv
        var (from, to) = (text[..at], text[(at + 2)..]);
        DateTimeOffset? Time(string side) => side.Length == 0 ? null
            : DateTimeOffset.TryParse(side, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
            : throw TendException.BadUsage($"'{text}': '{side}' is not an ISO 8601 time; a span of the log is FROM..TO, e.g. 2026-11-01..2026-11-08 (either side may be left open)");
        return (Time(from), Time(to)) is var span && (span.Item1 is not null || span.Item2 is not null) ? span
            : throw TendException.BadUsage($"'{text}': a span of the log needs FROM, TO or both");
    }

    /// <summary>
    /// A file (CSV, TSV, Parquet, JSON lines) when one is at that path, streamed (<see cref="StreamedWindow"/>), else a
    /// dataset version; scored by the champion when it has every feature, a file on a sample of its rows.
    /// </summary>
    private static async Task<MonitorWindow> DataAsync(Workspace ws, string source, IPredictor? model, IReadOnlyList<(string Name, ColumnType Type)> features, CancellationToken ct)
    {
        if (File.Exists(source) || Directory.Exists(source))
        {
            var window = await Task.Run(() => StreamedWindow.Read(DataSources.Open(source, new ReadOptions()), features, ct), ct);
            var rows = checked((int)window.Rows);
            return new MonitorWindow(Path.GetFileName(Path.GetFullPath(source)), rows, window.ColumnNames, window.Window, Predictions(model, window.Sample),
                Scored: window.Sample.Rows.Count < rows ? window.Sample.Rows.Count : null);
        }
        var version = await DatasetAsync(ws, source, ct);
        var table = await ws.Datasets.LoadAsync(version, ct);
        return new MonitorWindow(version.Reference, table.Rows.Count, table.Columns, DriftAnalysis.Of(table), Predictions(model, table));
    }

    private static DriftAnalysis.Window? Predictions(IPredictor? model, Table rows) =>
        model is not null && model.Layout.Features.All(f => rows.IndexOf(f) >= 0)
            ? DriftAnalysis.Of(PredictionProfile.Of(model.Predict(rows), model.Layout.Task))
            : null;

    private static async Task<DatasetVersion> DatasetAsync(Workspace ws, string source, CancellationToken ct)
    {
        try
        {
            return await ws.Datasets.GetAsync(source, ct);
        }
        catch (TendException e) when (e.Code is ErrorCode.NotFound or ErrorCode.BadUsage)
        {
            throw TendException.NotFound($"'{source}' is neither a file nor a dataset version (NAME or NAME@VERSION; 'tend data list' shows them): {e.Message}");
        }
    }

    /// <summary><c>last:24h</c> (s, m, h, d) or <c>last:5000</c> (rows).</summary>
    private static (DateTimeOffset? From, int? Rows) Last(string window, DateTimeOffset now)
    {
        var text = window["last:".Length..];
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) && rows > 0)
            return (null, rows);
        if (Durations.TryParse(text, out var span))
            return (now - span, null);
        throw TendException.BadField("current", $"current window '{window}': expected last:N (the last N predictions, N > 0) or last:SPAN with a unit s, m, h or d (e.g. last:24h)");
    }

    private static string Window(DateTimeOffset? from, DateTimeOffset? to) =>
        from is null && to is null ? "" : $" between {from?.ToString("O") ?? "the start"} and {to?.ToString("O") ?? "now"}";
}
