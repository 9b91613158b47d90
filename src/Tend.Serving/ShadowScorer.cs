using System.Diagnostics;
using System.Threading.Channels;
using Tend.Data.Tabular;

namespace Tend.Serving;

/// <summary>A copy of an answered request for the shadow version: its rows and the request ids the primary gave them.</summary>
public sealed record ShadowRequest(string Model, int Version, Table Rows, IReadOnlyList<string> Ids);

/// <summary>
/// Scores copies of requests with the shadow version on a bounded queue, off the request path: the result is logged
/// (route <c>shadow</c>, request id <c>ID.shadow</c> (<see cref="Core.Domain.Deployment.ShadowIdSuffix"/>), so it joins the primary's row), never returned. When the queue is
/// full the copy is dropped and counted; the primary never waits for the shadow.
/// </summary>
public sealed class ShadowScorer : IAsyncDisposable
{
    public const int Capacity = 1_024;

    private readonly ModelHost _host;
    private readonly PredictionLog _log;
    private readonly Action<Exception>? _failed;
    private readonly Channel<ShadowRequest> _queue = Channel.CreateBounded<ShadowRequest>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Thread _worker;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped, _failures;

    public ShadowScorer(ModelHost host, PredictionLog log, Action<Exception>? failed = null)
    {
        (_host, _log, _failed) = (host, log, failed);
        _worker = new Thread(Work) { IsBackground = true, Name = "tend-shadow" };
        _worker.Start();
    }

    /// <summary>
    /// The niceness of the shadow's thread on Linux: 19, the lowest priority, so the scheduler gives it only the CPU
    /// the primary leaves idle. Under full load its queue fills and copies are dropped and counted, rather than the
    /// primary slowing down.
    /// </summary>
    public const int Niceness = 19;

    /// <summary>Whether the shadow's thread runs at <see cref="Niceness"/> (false where the OS does not allow it).</summary>
    public bool Lowered { get; private set; }

    /// <summary>Copies dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Copies the shadow could not score (e.g. it needs a column the primary does not).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public int Pending => _queue.Reader.Count;

    /// <summary>Queues a copy if there is room; never waits.</summary>
    public void Offer(ShadowRequest request)
    {
        if (!_queue.Writer.TryWrite(request))
            Interlocked.Increment(ref _dropped);
    }

    private void Work()
    {
        Lowered = OperatingSystem.IsLinux() && ThreadNiceness.Lower(Niceness);
        try
        {
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                while (_queue.Reader.TryRead(out var request))
                    Score(request);
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
            var served = _host.GetAsync(request.Model, request.Version, CancellationToken.None).GetAwaiter().GetResult();
            var predictions = served.Predict(request.Rows);
            var records = PredictionService.Records(served, Core.Domain.Deployment.ShadowRoute, request.Rows, predictions,
                request.Ids.Select(id => id + Core.Domain.Deployment.ShadowIdSuffix).ToList(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
