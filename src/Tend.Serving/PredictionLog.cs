using System.Threading.Channels;
using Tend.Core.Domain;
using Tend.Core.Stores;

namespace Tend.Serving;

/// <summary>
/// The prediction log, written off the request path: requests queue their records and return; one writer stores what
/// has gathered every <see cref="FlushEvery"/> in one transaction (at most <see cref="MaxBatch"/> records each), or at
/// once when asked (<see cref="FlushAsync"/>, before feedback joins them). Records wait milliseconds, not a second:
/// records that live long outlast several garbage collections, and under load that cost a third of the throughput and
/// tripled the p99 (bench/README.md). The queue is bounded: when the store falls <see cref="Capacity"/> records behind,
/// requests wait for room rather than lose records. Disposing writes what is queued. A process killed outright loses
/// at most the records of the last <see cref="FlushEvery"/> plus one write: well under a second.
/// </summary>
public sealed class PredictionLog : IAsyncDisposable
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(5);
    public const int Capacity = 65_536;
    public const int MaxBatch = 5_000;
    private const int Attempts = 5;

    private readonly IPredictionStore _store;
    private readonly Action<Exception>? _failed;
    private readonly Channel<PredictionRecord> _queue = Channel.CreateBounded<PredictionRecord>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _lock = new();
    private readonly List<(long Upto, TaskCompletionSource Done)> _waiting = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _writer;
    private long _queued;
    private long _written;

    private readonly TimeProvider _time;

    /// <summary>A log writing to <paramref name="store"/>; <paramref name="time"/> paces the flushes and the retries after a failed write.</summary>
    public PredictionLog(IPredictionStore store, Action<Exception>? failed = null, TimeProvider? time = null)
    {
        (_store, _failed, _time) = (store, failed, time ?? TimeProvider.System);
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Records whose batch could not be stored after <see cref="Attempts"/> tries (the store was down).</summary>
    public long Dropped { get; private set; }

    /// <summary>Records queued and not yet stored.</summary>
    public long Pending => Interlocked.Read(ref _queued) - Interlocked.Read(ref _written);

    public async ValueTask AddAsync(IReadOnlyList<PredictionRecord> records, CancellationToken ct)
    {
        foreach (var record in records)
        {
            // Counted before it is queued: counted after, a record could lag the count of one queued behind it, and a
            // flush that counted only the later one could end as soon as the earlier one was stored.
            Interlocked.Increment(ref _queued);
            try
            {
                await _queue.Writer.WriteAsync(record, ct);
            }
            catch
            {
                Interlocked.Decrement(ref _queued);
                throw;
            }
        }
    }

    /// <summary>Completes once every record queued before the call is stored (or dropped).</summary>
    public Task FlushAsync(CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var upto = Interlocked.Read(ref _queued);
            if (Interlocked.Read(ref _written) >= upto)
                return Task.CompletedTask;
            _waiting.Add((upto, done));
            _wake.TrySetResult();
        }
        return done.Task.WaitAsync(ct);
    }

    private async Task WriteAsync()
    {
        var batch = new List<PredictionRecord>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            Task wake;
            lock (_lock)
                wake = _wake.Task;
            await Task.WhenAny(Task.Delay(FlushEvery, _time), wake, _queue.Reader.Completion);
            lock (_lock)
                if (_wake.Task.IsCompleted)
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            while (_queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                if (batch.Count == MaxBatch || !_queue.Reader.TryPeek(out _))
                {
                    await StoreAsync(batch);
                    Interlocked.Add(ref _written, batch.Count);
                    batch.Clear();
                    Release();
                }
            }
        }
        Release();
    }

    private async Task StoreAsync(List<PredictionRecord> batch)
    {
        for (var attempt = 1; ; attempt++)
            try
            {
                await _store.AddAsync(batch, CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < Attempts)
            {
                _failed?.Invoke(e);
                await Task.Delay(TimeSpan.FromMilliseconds(100 << attempt), _time);
            }
            catch (Exception e)
            {
                _failed?.Invoke(e);
                Dropped += batch.Count;
                return;
            }
    }

    /// <summary>Completes the flushes that are now stored.</summary>
    private void Release()
    {
        lock (_lock)
        {
            var written = Interlocked.Read(ref _written);
            foreach (var w in _waiting.Where(w => w.Upto <= written).ToList())
            {
                w.Done.TrySetResult();
                _waiting.Remove(w);
            }
        }
    }

    /// <summary>Stops taking records and stores every queued one.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        lock (_lock)
            _wake.TrySetResult(); // store what is queued now, not when the clock next allows a flush
        await _writer;
    }
}
