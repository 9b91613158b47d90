using Microsoft.Extensions.Hosting;
using Tend.Serving;

namespace Tend.Server;

/// <summary>On shutdown, stores every prediction still queued on the log before the process ends.</summary>
internal sealed class PredictionLogFlusher(PredictionLog log) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct) => await log.DisposeAsync();
}
