using System.Globalization;
using System.Text.RegularExpressions;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Data.Sources;
using Tend.Data.Tabular;
using Tend.Data.Versions;

namespace Tend.Pipelines.Stages;

/// <summary>A dataset version collected from the feedback on served predictions, with how many served rows still have none.</summary>
public sealed record CollectedFeedback(Ingest Ingest, int Labelled, int Unlabelled);

/// <summary>
/// Back to data collection: served predictions whose ground truth came back become labelled rows (the features as they
/// were served, the label from the feedback) of a new dataset version, on their own or appended to the newest version.
/// A collection takes the feedback received in a span, by default since the last collection ended, so collecting again
/// never takes a row twice, and a label that comes late is taken by the next one. The version's source names the span
/// and how many served rows still have no feedback.
/// </summary>
public static partial class CollectStage
{
    public static async Task<CollectedFeedback> RunAsync(Workspace ws, DateTimeOffset? since, DateTimeOffset? until, bool append, CancellationToken ct)
    {
        var spec = ws.Spec;
        var versions = (await ws.Datasets.ListAsync(ct)).Where(v => v.Name == spec.Name).ToList(); // oldest first
        since ??= LastCollected(versions);
        var end = until ?? ws.Time.GetUtcNow();
        var served = (await ws.Store.Predictions.ListAsync(spec.Name, null, null, ct)).Where(r => r.Error is null && r.Route != Deployment.ShadowRoute).ToList();
        if (served.Count == 0)
            throw TendException.NotFound($"no predictions of model '{spec.Name}' are logged; serve traffic first");
        var labelled = served.Where(r => r.FeedbackTime is { } received && received < end && (since is null || received >= since)).ToList();
        var span = $"{(since is { } s ? $" since {s:O}" : "")} until {end:O}";
        if (labelled.Count == 0)
            throw TendException.NotFound($"no feedback on the predictions of model '{spec.Name}' was received{span}; send the labels to POST /v1/feedback or with 'tend feedback FILE'");
        var columns = Columns(versions, labelled, spec.Label);
        var rows = labelled.Select(r => columns.Select(c => c == spec.Label ? r.Feedback : r.Features.GetValueOrDefault(c)).ToArray()).ToList();
        var unlabelled = served.Count(r => r.Feedback is null);
        var source = new TableSource(new Table(columns, rows),
            $"feedback on the predictions of {spec.Name} received{span}: {labelled.Count} labelled rows; {unlabelled} served rows still without feedback");
        var ingest = await ws.Datasets.AddAsync(spec.Name, source, new IngestOptions(ws.Actor, spec, append), ct);
        return new CollectedFeedback(ingest, labelled.Count, unlabelled);
    }

    [GeneratedRegex(@"feedback on the predictions of \S+ received(?: since \S+)? until (\S+):")]
    private static partial Regex Collected();

    /// <summary>Where the newest collection of this project's feedback ended, as its version's source says; null when none.</summary>
    private static DateTimeOffset? LastCollected(IEnumerable<DatasetVersion> versions) =>
        versions.Select(v => Collected().Match(v.Source)).LastOrDefault(m => m.Success) is { } last
            ? DateTimeOffset.Parse(last.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            : null;

    /// <summary>The newest version's columns, so the rows line up with the data trained on; without one, the features served and the label.</summary>
    private static IReadOnlyList<string> Columns(IReadOnlyList<DatasetVersion> versions, IReadOnlyList<PredictionRecord> records, string label) =>
        versions.Count > 0 ? versions[^1].Schema.Columns.Select(c => c.Name).ToList()
        : [.. records.SelectMany(r => r.Features.Keys).Distinct().Where(c => c != label), label];
}
