using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;

namespace Tend.Server;

/// <summary>How many jobs the server runs at once in its own slots (<c>tend serve --slots</c>); 0: it only hands them out, to the workers.</summary>
public sealed record ServerSlots(int Count)
{
    /// <summary>A pipeline run and a scheduled monitor at once, by default.</summary>
    public const int Default = 2;
}

/// <summary>
/// The server's part in running jobs (<see cref="JobEngine"/>): it hands out the pipeline runs its triggers start and its
/// scheduled monitors, and runs jobs in its own slots. When the server stops, the jobs it runs are cancelled; on
/// PostgreSQL another node runs them again.
/// </summary>
internal sealed class JobHost(Workspace ws, ServerSlots slots, ILogger<JobHost> logger) : IHostedService
{
    private JobEngine? _engine;

    /// <summary>The server's workspace, handing its jobs out through the engine (which has started: hosted services start in order).</summary>
    public Workspace Workspace => ws.Handing((_engine ?? throw new InvalidOperationException("the job engine has not started")).Dispatch);

    public async Task StartAsync(CancellationToken ct) => _engine = await JobEngine.StartAsync(ws, slots.Count, logger, ct, cancelOnStop: true);

    public async Task StopAsync(CancellationToken ct)
    {
        if (_engine is { } engine)
            await engine.DisposeAsync();
    }
}
