using System.Text.RegularExpressions;
using System.Threading.Channels;
using Tend.Core.Domain;
using Tend.Data.Sources;
using Tend.Training.Models;

namespace Tend.Pipelines.Stages;

/// <summary>
/// A window of the prediction log as rows, read once as a stream: each request the model answered (not the shadow's
/// copies) gives its monitored features and its prediction. On the way it keeps what the served metrics need, and only
/// that: each answered request slimmed to its time, protected attributes, prediction, score, latency and label, and the
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

    /// <summary>
    /// The rows, read from the store on another thread (its reading and parsing overlap the caller's summarizing), handed
    /// over <see cref="Chunk"/> at a time (one at a time, the two threads would spend their time waiting on each other),
    /// at most <see cref="Chunks"/> chunks ahead of the caller.
    /// </summary>
    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        var rows = Channel.CreateBounded<List<SourceRow>>(new BoundedChannelOptions(Chunks) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => ReadAsync(rows.Writer, stop.Token), stop.Token);
        try
        {
            foreach (var chunk in rows.Reader.ReadAllAsync(stop.Token).ToBlockingEnumerable(stop.Token))
                foreach (var row in chunk)
                    yield return row;
        }
        finally
        {
            stop.Cancel(); // a caller that stopped early stops the reading too; none outlives this
            try
            {
                reading.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    private const int Chunk = 2048, Chunks = 4;

    private async Task ReadAsync(ChannelWriter<List<SourceRow>> rows, CancellationToken ct)
    {
        Rejected = 0;
        Answered.Clear();
        Latencies.Clear();
        RejectedByField.Clear();
        Sent.Clear();
        // A request's names → where each monitored feature is among them (-1: not sent), and the protected attributes it sent.
        var known = new Dictionary<FeatureSet, (int[] At, FeatureSet Attributes)>(ReferenceEqualityComparer.Instance);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal); // one copy of each route and prediction
        var pending = new List<string>(); // refusals newer than the next answered request (newest first): counted once it is taken
        var chunk = new List<SourceRow>(Chunk);
        try
        {
            await foreach (var record in ws.Store.Predictions.StreamAsync(ws.Spec.Name, from, to, last is not null, ct))
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
                var set = record.Features.Set;
                if (!known.TryGetValue(set, out var names))
                {
                    known[set] = names = ([.. features.Select(set.IndexOf)], new FeatureSet(ws.Spec.ProtectedAttributes.Where(record.Features.ContainsKey)));
                    Sent.AddRange(set.Names.Except(Sent));
                }
                var cells = new string?[Columns.Count];
                for (var c = 0; c < features.Count; c++)
                    cells[c] = names.At[c] < 0 ? null : record.Features.Cell(names.At[c]);
                var attributes = names.Attributes;
                cells[^1] = record.Prediction;
                Answered.Add(record with
                {
                    RequestId = "",
                    Route = Once(texts, record.Route),
                    Prediction = Once(texts, record.Prediction),
                    Features = attributes.Names.Length == 0 ? FeatureRow.None : new CellRow(attributes, [.. attributes.Names.Select(record.Features.GetValueOrDefault)]),
                });
                Latencies.Add(record.LatencyMs);
                chunk.Add(new SourceRow(cells, Answered.Count));
                if (chunk.Count == Chunk)
                {
                    await rows.WriteAsync(chunk, ct);
                    chunk = new List<SourceRow>(Chunk);
                }
            }
            await rows.WriteAsync(chunk, ct);
            if (last is null)
                Count(pending);
            else
                Answered.Reverse();
            rows.Complete();
        }
        catch (Exception e)
        {
            rows.Complete(e);
            throw;
        }
    }

    /// <summary>The one kept copy of a text that repeats (a route, a predicted class); a regression's numbers are kept as they come.</summary>
    private static string Once(Dictionary<string, string> texts, string text) =>
        texts.TryGetValue(text, out var kept) ? kept : texts.Count < 1000 ? texts[text] = text : text;

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
