using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Tend.Core.Domain;
using Tend.Data.Profiling.Sketches;
using Tend.Data.Sources;
using Tend.Training.Models;

namespace Tend.Pipelines.Stages;

/// <summary>
/// A window of the prediction log as rows, read once as a stream: each request the model answered (not the shadow's
/// copies) gives its monitored features and its prediction. On the way it sums up what the served metrics need: the
/// answered requests' span and latencies, each handed to <paramref name="served"/> when given, and the requests refused
/// over the same span, counted by the field they named. With <c>last</c>, the newest that many answered requests, read
/// newest first.
/// </summary>
internal sealed partial class LoggedTraffic(Workspace ws, DateTimeOffset? from, DateTimeOffset? to, int? last, IReadOnlyList<string> features, ServedTraffic? served)
    : RowSource
{
    /// <summary>The field a refusal names: the server's errors say <c>field 'NAME' …</c>.</summary>
    [GeneratedRegex("field '([^']+)'")]
    private static partial Regex FieldNamed();

    public override string Description => "the prediction log";

    public override IReadOnlyList<string> Columns { get; } = [.. features, PredictionProfile.Column];

    /// <summary>How many requests the model answered, and when the oldest and the newest came.</summary>
    public int Answered { get; private set; }
    public DateTimeOffset Oldest { get; private set; } = DateTimeOffset.MaxValue;
    public DateTimeOffset Newest { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The answered requests' latencies in milliseconds: exact up to <see cref="NumberDistribution.ExactLimit"/> distinct values, sketched beyond.</summary>
    public NumberDistribution Latencies { get; } = new(countDistinct: false);
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
        Debug.Assert(Answered == 0, "a window of the log is read once");
        // A request's names → where each monitored feature is among them (-1: not sent).
        var known = new Dictionary<FeatureSet, int[]>(ReferenceEqualityComparer.Instance);
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
                    if (last is not null || Answered > 0) // oldest first: only those after the first answered one
                        pending.Add(record.Error);
                    continue;
                }
                if (Answered == last)
                    break;
                Count(pending);
                var set = record.Features.Set;
                if (!known.TryGetValue(set, out var at))
                {
                    known[set] = at = [.. features.Select(set.IndexOf)];
                    Sent.AddRange(set.Names.Except(Sent));
                }
                var cells = new string?[Columns.Count];
                for (var c = 0; c < features.Count; c++)
                    cells[c] = at[c] < 0 ? null : record.Features.Cell(at[c]);
                cells[^1] = record.Prediction;
                Answered++;
                (Oldest, Newest) = (record.Time < Oldest ? record.Time : Oldest, record.Time > Newest ? record.Time : Newest);
                Latencies.Add(record.LatencyMs);
                served?.Add(record);
                chunk.Add(new SourceRow(cells, Answered));
                if (chunk.Count == Chunk)
                {
                    await rows.WriteAsync(chunk, ct);
                    chunk = new List<SourceRow>(Chunk);
                }
            }
            await rows.WriteAsync(chunk, ct);
            if (last is null)
                Count(pending);
            rows.Complete();
        }
        catch (Exception e)
        {
            rows.Complete(e);
            throw;
        }
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
