using System.Diagnostics;
using System.Threading.Channels;

namespace Tend.Serving;

/// <summary>A copy of an answered request for the shadow version: its rows and the request ids the primary gave them.</summary>
public sealed record ShadowRequest(string Model, int Version, RequestRows Rows, IReadOnlyList<string> Ids);

/// <summary>
/// Scores copies of requests with the shadow version on a bounded queue, off the request path, on a thread of its own
/// that uses at most <see cref="Share"/> of a core: the result is logged (route <c>shadow</c>, request id <c>ID.shadow</c>
/// (<see cref="Core.Domain.Deployment.ShadowIdSuffix"/>), so it joins the primary's row), never returned. When the queue
/// is full the copy is dropped and counted; the primary never waits for the shadow.
/// </summary>
public sealed class ShadowScorer : IAsyncDisposable
{
    /// <summary>Copies waiting at most: enough for a burst; more would keep requests alive into the older GC generations under full load, when they are dropped anyway.</summary>
    public const int Capacity = 128;

    private readonly ModelHost _host;
    private readonly PredictionLog _log;
    private readonly Action<Exception>? _failed;
    private readonly Channel<ShadowRequest> _queue = Channel.CreateBounded<ShadowRequest>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped, _failures, _pending;

    public ShadowScorer(ModelHost host, PredictionLog log, Action<Exception>? failed = null)
    {
        (_host, _log, _failed) = (host, log, failed);
        new Thread(Work) { IsBackground = true, Name = "tend-shadow" }.Start();
    }

    /// <summary>
    /// The share of one core the shadow may use: after scoring a copy in time t it rests t × (1 − share) / share (19 t). A
    /// lower priority would not do: a starved thread holds up the garbage collector's pauses, and the primary's p99 with
    /// them. Past this share the queue fills, and copies are dropped and counted, rather than the primary slowing down.
    /// </summary>
    public const double Share = 0.05;

    /// <summary>Rests shorter than this are saved up: a sleep is not precise below a millisecond.</summary>
    private static readonly TimeSpan ShortestRest = TimeSpan.FromMilliseconds(2);

    /// <summary>Copies dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Copies the shadow could not score (e.g. it needs a column the primary does not).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Copies queued or being scored: 0 once every copy offered so far is logged (or failed).</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Queues a copy if there is room; never waits.</summary>
    public void Offer(ShadowRequest request)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(request))
            return;
        Interlocked.Decrement(ref _pending);
        Interlocked.Increment(ref _dropped);
    }

    private void Work()
    {
        var rest = TimeSpan.Zero;
        try
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (_queue.Reader.TryRead(out var request))
                {
                    var started = Stopwatch.GetTimestamp();
                    Score(request);
                    Interlocked.Decrement(ref _pending);
                    rest += Stopwatch.GetElapsedTime(started) * ((1 - Share) / Share);
                    if (rest >= ShortestRest)
                    {
                        Thread.Sleep(rest);
                        rest = TimeSpan.Zero;
                    }
                }
        }
        finally
        {
            _stopped.SetResult();
        }
    }

    private void Score(ShadowRequest request)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var lease = _host.LeaseAsync(request.Model, request.Version, CancellationToken.None).GetAwaiter().GetResult();
            var served = lease.Model;
            var predictions = served.Predict(request.Rows.ToTable()); // by name: the shadow's signature may differ from the primary's
            var records = PredictionService.Records(served, Core.Domain.Deployment.ShadowRoute, request.Rows, predictions,
                request.Ids.Select(id => id + Core.Domain.Deployment.ShadowIdSuffix).ToList(), _host.Time.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _log.AddAsync(records, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failures);
            _failed?.Invoke(e);
        }
    }

    /// <summary>Scores what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task;
    }
}
