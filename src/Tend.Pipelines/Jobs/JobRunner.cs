using Microsoft.Extensions.Logging;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Core.Processes;

namespace Tend.Pipelines.Jobs;

/// <summary>
/// What a process that runs jobs does with one handed to it: begins an attempt (the job's next fencing number), runs the
/// job in its project's workspace with every run write fenced, and ends the job with what it made — unless a later
/// attempt took it meanwhile, in which case nothing this one made is kept as the job's result. While it runs, the attempt
/// looks every <see cref="Job.CancelPoll"/> whether someone asked to cancel the job, and if so cancels the work.
/// </summary>
/// <param name="handedBack">
/// Whether a job this process stops running when it stops is run again by another (the cluster's recovery); if not (the
/// embedded scheduler, which ends with the process), the job ends as failed, and says why.
/// </param>
internal sealed class JobRunner(Workspace home, ILogger logger, bool handedBack)
{
    public async Task RunAsync(string id, CancellationToken stopping)
    {
        var jobs = home.Store.Jobs;
        if (await jobs.BeginAsync(id, ProcessOwner.Current, home.Time.GetUtcNow(), stopping) is not { } job)
            return; // it ended: a recovered copy of a job whose attempt finished after all
        if (job.Fence > 1)
            logger.LogWarning("job {Job} ({Kind} of {Project}): attempt {Attempt}, the one before was taken for dead", id, job.Kind, job.Project, job.Fence);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var cancelledBy = WatchAsync(jobs, id, cancel);
        string? result = null;
        TendException? failure = null;
        var cancelled = false;
        try
        {
            var project = await home.Backends.Projects.GetAsync(job.Project, cancel.Token);
            var ws = home.For(project).As(job.Actor).Fenced(new JobAttempt(jobs, job));
            result = await JobKinds.RunAsync(ws, job, logger, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !(stopping.IsCancellationRequested && handedBack))
        {
            cancelled = true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            failure = e as TendException ?? new TendException(ErrorCode.Unexpected, e.Message);
        }
        finally
        {
            await cancel.CancelAsync();
        }
        var by = await cancelledBy;
        if (cancelled)
            failure = new TendException(ErrorCode.Conflict, by is null ? "cancelled: the process running it stopped" : $"cancelled by {by}");
        if (!await jobs.EndAsync(id, job.Fence, result, failure, home.Time.GetUtcNow(), CancellationToken.None))
            logger.LogWarning("job {Job} ({Kind}): attempt {Attempt} ended after a later attempt took the job; its result is dropped", id, job.Kind, job.Fence);
    }

    /// <summary>Looks for a request to cancel the job until the attempt ends; who asked, once someone has (the work is cancelled then).</summary>
    private static async Task<string?> WatchAsync(IJobStore jobs, string id, CancellationTokenSource cancel)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Job.CancelPoll, cancel.Token);
                if ((await jobs.GetAsync(id, cancel.Token))?.CancelledBy is { } by)
                {
                    await cancel.CancelAsync();
                    return by;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null; // the attempt ended
        }
    }
}
