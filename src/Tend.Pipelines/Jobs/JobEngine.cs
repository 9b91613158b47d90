using Microsoft.Extensions.Logging;
using Tend.Core.Stores;
using Tend.Execution.Quartz;

namespace Tend.Pipelines.Jobs;

/// <summary>
/// This process's part in running jobs: on PostgreSQL, a node of the cluster's Quartz scheduler (a worker runs jobs in
/// its slots; with none, it only hands them out); on the embedded SQLite store, one in-process scheduler with an
/// in-memory store, which runs the jobs it is handed itself (no other process could).
/// </summary>
public sealed class JobEngine : IAsyncDisposable
{
    private readonly QuartzJobExecutor _executor;

    private JobEngine(QuartzJobExecutor executor, JobDispatch dispatch) => (_executor, Dispatch) = (executor, dispatch);

    public JobDispatch Dispatch { get; }

    /// <summary>Whether jobs are shared with other processes (the store is PostgreSQL), or run only here.</summary>
    public bool Clustered { get; private init; }

    /// <summary>Whether the workspace's store is one other processes share (PostgreSQL), where workers can run its jobs.</summary>
    public static bool Shared(Workspace ws) => ConnectionOf(ws) is not null;

    private static string? ConnectionOf(Workspace ws) =>
        ws.Backends.StoreUri.StartsWith("postgres://", StringComparison.Ordinal) ? PostgresUri.ToConnectionString(new Uri(ws.Backends.StoreUri)) : null;

    /// <param name="slots">How many jobs this process runs at once (on the embedded store at least one).</param>
    /// <param name="maxTrainings">How many trainings may run at once across the cluster (null: as many as there are slots).</param>
    /// <param name="cancelOnStop">Cancel the jobs running when the process stops (a server) instead of letting them finish (a worker).</param>
    public static async Task<JobEngine> StartAsync(Workspace home, int slots, ILogger logger, CancellationToken ct, int? maxTrainings = null, bool cancelOnStop = false)
    {
        var postgres = ConnectionOf(home);
        var options = new ExecutionOptions(postgres, postgres is null ? Math.Max(1, slots) : slots)
        {
            ClusterLimits = maxTrainings is { } most ? new Dictionary<string, int> { [JobKinds.Train] = most } : new Dictionary<string, int>(),
            CancelOnStop = cancelOnStop,
        };
        var executor = await QuartzJobExecutor.StartAsync(options, new JobRunner(home, logger, handedBack: postgres is not null).RunAsync, ct);
        return new JobEngine(executor, new JobDispatch(home.Store.Jobs, executor, home.Time)) { Clustered = postgres is not null };
    }

    public ValueTask DisposeAsync() => _executor.DisposeAsync();
}
