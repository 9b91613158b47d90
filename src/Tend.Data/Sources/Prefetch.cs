using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Tend.Data.Sources;

/// <summary>
/// Reads rows on a second thread while the caller processes the previous ones: parsing and profiling overlap on two
/// cores. At most <see cref="Batches"/> batches of <see cref="BatchSize"/> rows wait, so memory stays bounded.
/// </summary>
public static class Prefetch
{
    public const int BatchSize = 4096;
    public const int Batches = 8;

    public static IEnumerable<SourceRow> Ahead(this IEnumerable<SourceRow> rows, CancellationToken ct)
    {
        using var queue = new BlockingCollection<SourceRow[]>(Batches);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Exception? failure = null;
        var reader = Task.Run(() =>
        {
            try
            {
                var batch = new List<SourceRow>(BatchSize);
                foreach (var row in rows)
                {
                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        queue.Add(batch.ToArray(), stop.Token);
                        batch.Clear();
                    }
                }
                if (batch.Count > 0)
                    queue.Add(batch.ToArray(), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, CancellationToken.None);
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(ct))
                foreach (var row in batch)
                    yield return row;
            if (failure is not null)
                ExceptionDispatchInfo.Capture(failure).Throw();
        }
        finally
        {
            stop.Cancel();
            reader.Wait(CancellationToken.None);
        }
    }
}
