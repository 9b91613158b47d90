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
    private readonly Task _worker;
    private long _dropped, _failures;

    public ShadowScorer(ModelHost host, PredictionLog log, Action<Exception>? failed = null)
    {
        (_host, _log, _failed) = (host, log, failed);
        _worker = Task.Run(WorkAsync);
    }

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

    private async Task WorkAsync()
    {
        await foreach (var request in _queue.Reader.ReadAllAsync())
            try
            {
                var started = Stopwatch.GetTimestamp();
                var served = await _host.GetAsync(request.Model, request.Version, CancellationToken.None);
                var predictions = served.Predict(request.Rows);
                var records = PredictionService.Records(served, Core.Domain.Deployment.ShadowRoute, request.Rows, predictions,
                    request.Ids.Select(id => id + Core.Domain.Deployment.ShadowIdSuffix).ToList(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await _log.AddAsync(records, CancellationToken.None);
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
        await _worker;
    }
}
