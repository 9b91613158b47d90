using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Data.Sources;
using Tend.Data.Tabular;
using Tend.Data.Versions;

namespace Tend.Pipelines.Stages;

/// <summary>A dataset version collected from served predictions and their feedback, with how many served rows had none.</summary>
public sealed record CollectedFeedback(Ingest Ingest, int Labelled, int Unlabelled);

/// <summary>
/// Back to data collection: served predictions whose ground truth came back become labelled rows (the features as they
/// were served, the label from the feedback) of a new dataset version, on their own or appended to the newest version.
/// The version's source names the span of the prediction log and how many served rows had no feedback.
/// </summary>
public static class CollectStage
{
    public static async Task<CollectedFeedback> RunAsync(Workspace ws, DateTimeOffset? from, DateTimeOffset? to, bool append, CancellationToken ct)
    {
        var spec = ws.Spec;
        var served = (await ws.Store.Predictions.ListAsync(spec.Name, from, to, ct)).Where(r => r.Error is null && r.Route != Deployment.ShadowRoute).ToList();
        var span = $"{(from is { } f ? $" from {f:u}" : "")}{(to is { } t ? $" until {t:u}" : "")}";
        if (served.Count == 0)
            throw TendException.NotFound($"no predictions of model '{spec.Name}' were logged{span}; serve traffic first");
        var labelled = served.Where(r => r.Feedback is not null).ToList();
        if (labelled.Count == 0)
            throw TendException.NotFound($"none of the {served.Count} predictions of model '{spec.Name}' logged{span} has feedback yet; send the labels to POST /v1/feedback or with 'tend feedback FILE'");
        var columns = await ColumnsAsync(ws, labelled, ct);
        var rows = labelled.Select(r => columns.Select(c => c == spec.Label ? r.Feedback : r.Features.GetValueOrDefault(c)).ToArray()).ToList();
        var source = new TableSource(new Table(columns, rows),
            $"feedback on the predictions of {spec.Name} logged from {labelled[0].Time:u} to {labelled[^1].Time:u}: {labelled.Count} labelled rows; {served.Count - labelled.Count} served rows without feedback left out");
        var ingest = await ws.Datasets.AddAsync(spec.Name, source, new IngestOptions(ws.Actor, spec, append), ct);
        return new CollectedFeedback(ingest, labelled.Count, served.Count - labelled.Count);
    }

    /// <summary>The newest version's columns, so the rows line up with the data trained on; without one, the features served and the label.</summary>
    private static async Task<IReadOnlyList<string>> ColumnsAsync(Workspace ws, IReadOnlyList<PredictionRecord> records, CancellationToken ct)
    {
        if ((await ws.Datasets.ListAsync(ct)).LastOrDefault(v => v.Name == ws.Spec.Name) is { } newest)
            return newest.Schema.Columns.Select(c => c.Name).ToList();
        return [.. records.SelectMany(r => r.Features.Keys).Distinct().Where(c => c != ws.Spec.Label), ws.Spec.Label];
    }
}
