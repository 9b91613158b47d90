using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Serving.Tests;

public class PredictionLogTests
{
    /// <summary>A store that keeps what it is given, batch by batch, and can be made to fail.</summary>
    private sealed class RecordingStore : IPredictionStore
    {
        public readonly ConcurrentQueue<IReadOnlyList<PredictionRecord>> Batches = new();
        public int FailuresLeft;

        public Task AddAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct)
        {
            if (Interlocked.Decrement(ref FailuresLeft) >= 0)
                throw new IOException("the database is away");
            Batches.Enqueue(records.ToList());
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<string>> AddFeedbackAsync(IReadOnlyList<Feedback> feedback, CancellationToken ct, IReadOnlySet<string>? models = null) => throw new NotSupportedException();

        public Task<IReadOnlyList<PredictionRecord>> ListAsync(string model, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) => throw new NotSupportedException();

        public IAsyncEnumerable<PredictionRecord> StreamAsync(string model, DateTimeOffset? from, DateTimeOffset? to, bool newestFirst, CancellationToken ct) => throw new NotSupportedException();

        public IEnumerable<string> Ids => Batches.SelectMany(b => b).Select(r => r.RequestId);
    }

    private static PredictionRecord Record(int i) =>
        new($"r{i}", DateTimeOffset.UtcNow, "m", 1, Deployment.Primary, FeatureRow.None, "yes", 0.9, 0.1);

    [Fact]
    public async Task ManyRequests_AreStoredInFewBatches_InOrder_AndFlushWaitsForThem()
    {
        var store = new RecordingStore();
        await using var log = new PredictionLog(store);
        await Parallel.ForEachAsync(Enumerable.Range(0, 40), async (client, ct) =>
        {
            for (var i = 0; i < 50; i++)
                await log.AddAsync([Record(client * 50 + i)], ct);
        });
        await log.FlushAsync(CancellationToken.None);

        Assert.Equal(2000, store.Ids.Count());
        Assert.Equal(2000, store.Ids.Distinct().Count());
        Assert.True(store.Batches.Count < 200, $"{store.Batches.Count} writes for 2,000 records");
        Assert.Equal(0, log.Pending);
    }

    [Fact]
    public async Task Dispose_StoresEveryQueuedRecord_WithoutWaitingForTheClock()
    {
        var store = new RecordingStore();
        var log = new PredictionLog(store, time: new FakeTimeProvider()); // a clock that never moves: no timed flush comes
        for (var i = 0; i < 10; i++)
            await log.AddAsync([Record(i)], CancellationToken.None);
        await log.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}"), store.Ids);
    }

    [Fact]
    public async Task AFlush_WaitsForEveryRecordQueuedBeforeIt_WhileOthersAreQueuedAtTheSameTime()
    {
        // Each client checks its own record after its flush, while the others keep queueing. (The counting race fixed
        // with this test, a record counted after it was queued, is too narrow to hit on demand.)
        var store = new RecordingStore();
        await using var log = new PredictionLog(store);
        var missed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (client, ct) =>
        {
            for (var i = 0; i < 400; i++)
            {
                var record = Record(client * 1000 + i);
                await log.AddAsync([record], ct);
                await log.FlushAsync(ct);
                if (!store.Batches.Any(b => b.Contains(record)))
                    Interlocked.Increment(ref missed);
            }
        });

        Assert.Equal(0, missed);
    }

    [Fact]
    public async Task Dispose_StoresWhatIsQueued()
    {
        var store = new RecordingStore();
        var log = new PredictionLog(store);
        await log.AddAsync(Enumerable.Range(0, 10).Select(Record).ToList(), CancellationToken.None);
        await log.DisposeAsync();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}"), store.Ids);
    }

    [Fact]
    public async Task AFailingStore_IsRetried_ThenTheBatchIsDroppedAndCounted()
    {
        var store = new RecordingStore { FailuresLeft = 2 };
        var failures = 0;
        await using (var log = new PredictionLog(store, _ => Interlocked.Increment(ref failures)))
        {
            await log.AddAsync([Record(1)], CancellationToken.None);
            await log.FlushAsync(CancellationToken.None);
            Assert.Equal(["r1"], store.Ids); // stored on the third try
            Assert.Equal(2, failures);

            store.FailuresLeft = 100;
            await log.AddAsync([Record(2)], CancellationToken.None);
            await log.FlushAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(1, log.Dropped);
        }
    }
}
