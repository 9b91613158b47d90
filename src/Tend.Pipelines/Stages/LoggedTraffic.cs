using System.Text.RegularExpressions;
using Tend.Core.Domain;
using Tend.Data.Sources;
using Tend.Training.Models;

namespace Tend.Pipelines.Stages;

/// <summary>
/// A window of the prediction log as rows, read once as a stream: each request the model answered (not the shadow's
/// copies) gives its monitored features and its prediction. On the way it keeps what the served metrics need, and only
/// that: each answered request slimmed to its protected attributes, prediction, score, latency and label, and the
/// requests refused over the same span, counted by the field they named. With <c>last</c>, the newest that many
/// answered requests, read newest first and kept oldest first.
/// </summary>
internal sealed partial class LoggedTraffic(Workspace ws, DateTimeOffset? from, DateTimeOffset? to, int? last, IReadOnlyList<string> features) : RowSource
{
    /// <summary>The field a refusal names: the server's errors say <c>field 'NAME' …</c>.</summary>
    [GeneratedRegex("field '([^']+)'")]
    private static partial Regex FieldNamed();

    public override string Description => "the prediction log";

    public override IReadOnlyList<string> Columns { get; } = [.. features, PredictionProfile.Column];

    /// <summary>The answered requests, oldest first, each with only its protected attributes as features.</summary>
    public List<PredictionRecord> Answered { get; } = [];

    public List<double> Latencies { get; } = [];
    public int Rejected { get; private set; }
    public Dictionary<string, int> RejectedByField { get; } = [];

    /// <summary>The feature names the answered requests sent, in the order first seen.</summary>
    public List<string> Sent { get; } = [];

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        Rejected = 0;
        Answered.Clear();
        Latencies.Clear();
        RejectedByField.Clear();
        Sent.Clear();
        var kept = new Dictionary<FeatureSet, FeatureSet>(ReferenceEqualityComparer.Instance); // a request's names → the protected attributes among them
        var pending = new List<string>(); // refusals newer than the next answered request (newest first): counted once it is taken
        foreach (var record in ws.Store.Predictions.StreamAsync(ws.Spec.Name, from, to, last is not null, ct).ToBlockingEnumerable(ct))
        {
            if (record.Route == Deployment.ShadowRoute)
                continue;
            if (record.Error is not null)
            {
                if (last is not null || Answered.Count > 0) // oldest first: only those after the first answered one
                    pending.Add(record.Error);
                continue;
            }
            if (Answered.Count == last)
                break;
            Count(pending);
            if (!kept.TryGetValue(record.Features.Set, out var attributes))
            {
                kept[record.Features.Set] = attributes = new FeatureSet(ws.Spec.ProtectedAttributes.Where(record.Features.ContainsKey));
                Sent.AddRange(record.Features.Keys.Except(Sent));
            }
            var cells = new string?[Columns.Count];
            for (var c = 0; c < features.Count; c++)
                cells[c] = record.Features.GetValueOrDefault(features[c]);
            cells[^1] = record.Prediction;
            Answered.Add(record with { Features = new CellRow(attributes, [.. attributes.Names.Select(record.Features.GetValueOrDefault)]) });
            Latencies.Add(record.LatencyMs);
            yield return new SourceRow(cells, Answered.Count);
        }
        if (last is null)
            Count(pending);
        else
            Answered.Reverse();
    }

    private void Count(List<string> refusals)
    {
        foreach (var error in refusals)
        {
            Rejected++;
            if (FieldNamed().Match(error) is { Success: true } named)
                RejectedByField[named.Groups[1].Value] = RejectedByField.GetValueOrDefault(named.Groups[1].Value) + 1;
        }
        refusals.Clear();
    }
}
