using Microsoft.Extensions.Logging;
using Tend.Core.Execution;
using Tend.Core.Processes;

namespace Tend.Pipelines.Jobs;

/// <summary>
/// What a process that runs jobs does with one handed to it: begins an attempt (the job's next fencing number), runs the
/// job in its project's workspace with every run write fenced, and ends the job with what it made — unless a later
/// attempt took it meanwhile, in which case nothing this one made is kept as the job's result.
/// </summary>
internal sealed class JobRunner(Workspace home, ILogger logger)
{
    public async Task RunAsync(string id, CancellationToken ct)
    {
        var jobs = home.Store.Jobs;
        if (await jobs.BeginAsync(id, ProcessOwner.Current, home.Time.GetUtcNow(), ct) is not { } job)
            return; // it ended: a recovered copy of a job whose attempt finished after all
        if (job.Fence > 1)
            logger.LogWarning("job {Job} ({Kind} of {Project}): attempt {Attempt}, the one before was taken for dead", id, job.Kind, job.Project, job.Fence);
        string? result = null, error = null;
        try
        {
            var project = await home.Backends.Projects.GetAsync(job.Project, ct);
            var ws = home.For(project).As(job.Actor).Fenced(new JobAttempt(jobs, job));
            result = await JobKinds.RunAsync(ws, job, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e.Message;
        }
        if (!await jobs.EndAsync(id, job.Fence, result, error, home.Time.GetUtcNow(), CancellationToken.None))
            logger.LogWarning("job {Job} ({Kind}): attempt {Attempt} ended after a later attempt took the job; its result is dropped", id, job.Kind, job.Fence);
    }
}
