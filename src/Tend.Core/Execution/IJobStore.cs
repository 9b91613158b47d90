using Tend.Core.Errors;

namespace Tend.Core.Execution;

/// <summary>The jobs of every process that runs them, with the fencing number that lets only the latest attempt write.</summary>
public interface IJobStore
{
    /// <summary>Adds the job; false, and nothing written, when a job with its id is there already (a schedule's slot that another server took).</summary>
    Task<bool> AddAsync(Job job, CancellationToken ct);

    Task<Job?> GetAsync(string id, CancellationToken ct);

    /// <summary>The jobs, newest first.</summary>
    Task<IReadOnlyList<Job>> ListAsync(CancellationToken ct);

    /// <summary>
    /// Starts an attempt by <paramref name="owner"/>: the job is running under the next fencing number, which the attempt
    /// then carries. Null when the job has ended (a recovered copy of a job that finished meanwhile) or does not exist.
    /// </summary>
    Task<Job?> BeginAsync(string id, string owner, DateTimeOffset now, CancellationToken ct);

    /// <summary>Whether <paramref name="fence"/> is still the job's latest attempt, running.</summary>
    Task<bool> IsCurrentAsync(string id, long fence, CancellationToken ct);

    /// <summary>
    /// Ends the job with what the attempt made (<paramref name="failure"/> null: it succeeded) if the attempt under
    /// <paramref name="fence"/> is still the latest and the job has not ended; false otherwise, and nothing is written.
    /// </summary>
    Task<bool> EndAsync(string id, long fence, string? result, TendException? failure, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Asks for the job to be cancelled by <paramref name="by"/>: a queued one ends at once, failed as cancelled; a running
    /// one is marked, for its attempt to see (<see cref="Job.CancelPoll"/>). The job as it is then; null when it does not exist.
    /// </summary>
    Task<Job?> CancelAsync(string id, string by, DateTimeOffset now, CancellationToken ct);
}
