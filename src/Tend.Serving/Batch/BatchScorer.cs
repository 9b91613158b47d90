using System.Collections.Concurrent;
using System.Diagnostics;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Sources;
using Tend.Data.Tabular;

namespace Tend.Serving.Batch;

/// <summary>How a batch scoring went: rows read, scored and rejected, and how long it took.</summary>
public sealed record BatchSummary(long Rows, long Scored, long Rejected, double Seconds)
{
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}

/// <summary>
/// Scores a file of any size with a served model: rows stream in batches, batches are scored in parallel (one pooled
/// prediction engine per worker, <see cref="ServedModel"/>) and written in input order. The output holds the input
/// columns plus <c>prediction</c>, and <c>probability</c> (binary: the positive class's) or <c>probability_CLASS</c>
/// (multiclass): what the server returns for the same row. A row that cannot be scored goes to the rejects file with
/// its line and reason.
/// </summary>
public sealed class BatchScorer(ServedModel model)
{
    public const int BatchRows = 4096;

    private readonly Training.Features.FeatureLayout _layout = model.Model.Layout;

    /// <summary>The columns added to the input's (<see cref="OutputColumns"/>).</summary>
    public IReadOnlyList<string> Added { get; } = OutputColumns.Of(model.Model.Layout);

    public async Task<BatchSummary> RunAsync(RowSource input, string output, string rejects, IProgress<long>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var clash = Added.FirstOrDefault(input.Columns.Contains);
        if (clash is not null)
            throw TendException.InvalidData($"{input.Description}: the input already has a column '{clash}', which the output adds; rename it");
        var at = Positions(input);
        var numeric = _layout.Task == MlTask.Regression ? Added.ToHashSet() : Added.Skip(1).ToHashSet();
        long rows = 0, scored = 0, rejected = 0;
        TableSink? rejectSink = null;
        await using (var sink = TableSink.Create(output, [.. input.Columns, .. Added], numeric))
        {
            try
            {
                var batches = Partitioner.Create(input.Rows(ct).Chunk(BatchRows), EnumerablePartitionerOptions.NoBuffering)
                    .AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount).WithMergeOptions(ParallelMergeOptions.NotBuffered)
                    .WithCancellation(ct).Select(batch => Score(batch, at));
                foreach (var (good, bad, count) in batches)
                {
                    await sink.WriteAsync(good, ct);
                    if (bad.Count > 0)
                    {
                        rejectSink ??= TableSink.Create(rejects, [.. input.Columns, "line", "reason"], new HashSet<string>());
                        await rejectSink.WriteAsync(bad, ct);
                    }
                    (rows, scored, rejected) = (rows + count, scored + good.Count, rejected + bad.Count);
                    progress?.Report(rows);
                }
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                throw e.InnerException!;
            }
            finally
            {
                if (rejectSink is not null)
                    await rejectSink.DisposeAsync();
            }
        }
        return new BatchSummary(rows, scored, rejected, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Where the model's inputs are among the input's columns; a missing one is an error naming the file.</summary>
    private Training.Features.InputBuilder.Positions Positions(RowSource input)
    {
        try
        {
            return model.Model.Inputs.PositionsIn(input.Columns);
        }
        catch (TendException e)
        {
            throw e.Within(input.Description);
        }
    }

    /// <summary>One batch: the rows whose cells are of their kind scored and extended, the others with their line and reason.</summary>
    private (List<string?[]> Good, List<string?[]> Bad, int Count) Score(SourceRow[] batch, Training.Features.InputBuilder.Positions at)
    {
        var inputs = new List<Training.Features.ModelInput>(batch.Length);
        var good = new List<string?[]>(batch.Length);
        var bad = new List<string?[]>();
        foreach (var row in batch)
            if (model.Model.Inputs.TryRead(row.Cells, at, out var failed) is { } input)
            {
                inputs.Add(input);
                good.Add(row.Cells);
            }
            else
                bad.Add([.. row.Cells, row.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), model.Model.Inputs.Problem(row.Cells, at, failed)]);
        if (good.Count == 0)
            return (good, bad, batch.Length);
        var predictions = model.Predict(inputs);
        var added = Added.Count;
        for (var i = 0; i < good.Count; i++)
        {
            var cells = good[i];
            var row = new string?[cells.Length + added];
            cells.CopyTo(row, 0);
            row[cells.Length] = predictions.Values[i];
            if (predictions.Probability is { } p)
                row[cells.Length + 1] = Cells.Format(p[i]);
            else if (predictions.ClassProbabilities is { } classes)
                for (var k = 0; k < classes[i].Length; k++)
                    row[cells.Length + 1 + k] = Cells.Format(classes[i][k]);
            good[i] = row;
        }
        return (good, bad, batch.Length);
    }
}
