namespace Tend.Core.Execution;

/// <summary>
/// The engine that hands stored jobs to the processes that run them: one in-process scheduler in the embedded default,
/// a clustered one on the shared database when workers run them (<c>tend worker</c>).
/// </summary>
public interface IJobExecutor : IAsyncDisposable
{
    /// <summary>Hands the stored job to a process that runs jobs; it may be this one, or another, at once or later.</summary>
    Task EnqueueAsync(Job job, CancellationToken ct);
}

/// <summary>What a process that runs jobs does with one handed to it (by its id).</summary>
public delegate Task JobWork(string jobId, CancellationToken ct);
