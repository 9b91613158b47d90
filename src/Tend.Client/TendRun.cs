using System.Globalization;
using System.Net.Http.Json;

namespace Tend.Client;

/// <summary>
/// A running run. Params, tags and metric values are buffered and sent in batches by a background task (every
/// <see cref="TendClientOptions.FlushInterval"/>, or as soon as a batch is full), so logging never waits for the
/// network; transient server errors are retried, and each batch carries a sequence number, so a retry never logs twice.
/// <see cref="EndAsync"/> and disposal flush first. A run disposed without <see cref="EndAsync"/> ends as killed.
/// </summary>
public sealed class TendRun : IAsyncDisposable
{
    private readonly Transport _transport;
    private readonly TendClientOptions _options;
    private readonly LogBuffer _buffer = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sender;
    private readonly object _gate = new();
    private readonly Queue<Wire.Log> _pending = new();
    private long _cut;
    private long _sent;
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;
    private bool _ended;
    private bool _reported;

    internal TendRun(string id, Transport transport, TendClientOptions options)
    {
        Id = id;
        _transport = transport;
        _options = options;
        _sender = Task.Run(SendLoopAsync);
    }

    public string Id { get; }

    public void LogParam(string key, object value) =>
        _buffer.AddParam(key, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    public void SetTag(string key, string value) => _buffer.AddTag(key, value);

    /// <summary>Logs a value of a metric at a step (many values a key make its history), timestamped now.</summary>
    public void LogMetric(string key, double value, long step = 0)
    {
        if (_buffer.AddMetric(key, value, step, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _options.BatchSize))
            _wake.Release();
    }

    /// <summary>Logs several metrics at one step (an epoch's loss and accuracy, say).</summary>
    public void LogMetrics(IReadOnlyDictionary<string, double> values, long step = 0)
    {
        foreach (var (key, value) in values)
            LogMetric(key, value, step);
    }

    /// <summary>Uploads a file, or every file of a folder (keeping their relative paths), as the run's artifacts under <paramref name="artifactPath"/> (default: the file's or folder's name).</summary>
    public async Task LogArtifactAsync(string path, string? artifactPath = null, CancellationToken ct = default)
    {
        var root = (artifactPath ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(path))).Trim('/');
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => (File: f, Name: $"{root}/{Path.GetRelativePath(path, f).Replace(Path.DirectorySeparatorChar, '/')}"))
            : File.Exists(path) ? [(File: path, Name: root)] : throw new FileNotFoundException($"no file or folder at {path}", path);
        foreach (var (file, name) in files)
        {
            var target = $"api/v1/runs/{Id}/artifacts/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}";
            using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Put, target) { Content = new StreamContent(File.OpenRead(file)) }, ct);
        }
    }

    /// <summary>Waits until everything logged so far has reached the server; throws what the server refused or what kept failing.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        var target = Cut();
        _wake.Release();
        while (true)
        {
            Task progress;
            lock (_gate)
            {
                if (_failure is { } failure)
                {
                    _reported = true;
                    throw new TendClientException($"logging to run {Id} failed: {failure.Message}", (failure as TendClientException)?.Status, failure);
                }
                if (_sent >= target)
                    return;
                progress = _progress.Task;
            }
            await progress.WaitAsync(ct);
        }
    }

    /// <summary>
    /// Flushes, then ends the run as finished (or failed, with the error, or killed). The run ends even when some logs
    /// were refused; that failure is thrown afterwards, unless a <see cref="FlushAsync"/> has reported it already.
    /// </summary>
    public async Task EndAsync(RunOutcome outcome = RunOutcome.Finished, string? error = null, CancellationToken ct = default)
    {
        if (_ended)
            return;
        var alreadyReported = _reported;
        Exception? failure = null;
        try
        {
            await FlushAsync(ct);
        }
        catch (TendClientException e)
        {
            failure = e;
        }
        finally
        {
            _ended = true;
            _stop.Cancel();
            await _sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        using (await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"api/v1/runs/{Id}/end")
        {
            Content = JsonContent.Create(new Wire.End(outcome, error), options: Transport.Json),
        }, ct))
        {
        }
        if (failure is not null && !alreadyReported)
            throw failure;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ended)
            await EndAsync(RunOutcome.Killed, "disposed without EndAsync");
        _stop.Dispose();
        _wake.Dispose();
    }

    /// <summary>Moves everything buffered into numbered batches of at most <see cref="TendClientOptions.BatchSize"/> values, queued to send; the last batch's number.</summary>
    private long Cut()
    {
        lock (_gate)
        {
            while (_buffer.Take(_cut + 1, _options.BatchSize) is { } log)
            {
                _pending.Enqueue(log);
                _cut++;
            }
            return _cut;
        }
    }

    private async Task SendLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.FlushInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // Everything buffered goes out now, batch after batch, in the order it was cut.
            Cut();
            while (_failure is null)
            {
                Wire.Log? log;
                lock (_gate)
                    if (!_pending.TryDequeue(out log))
                        break;
                try
                {
                    using var response = await _transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"api/v1/runs/{Id}/log")
                    {
                        Content = JsonContent.Create(log, options: Transport.Json),
                    }, CancellationToken.None);
                }
                catch (Exception e)
                {
                    lock (_gate)
                        _failure = e;
                }
                lock (_gate)
                {
                    _sent = log.Sequence;
                    _progress.TrySetResult();
                    _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
    }
}
