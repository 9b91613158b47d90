using Tend.Core.Errors;
using Tend.Core.Execution;

namespace Tend.Pipelines.Jobs;

/// <summary>One attempt at a job, under its fencing number: each write it makes is checked to be the latest attempt's first.</summary>
internal sealed record JobAttempt(IJobStore Jobs, Job Job)
{
    /// <summary>Throws when a later attempt has taken the job (this one was taken for dead), or the job has ended.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        if (!await Jobs.IsCurrentAsync(Job.Id, Job.Fence, ct))
            throw new TendException(ErrorCode.Conflict,
                $"attempt {Job.Fence} of job {Job.Id[..8]} ({Job.Kind}) may no longer write: a later attempt took the job, or it ended");
    }
}
