using Tend.Core.Errors;
using Tend.Core.Execution;

namespace Tend.Pipelines.Jobs;

/// <summary>Hands jobs to the processes that run them and waits for what they make.</summary>
public sealed class JobDispatch(IJobStore jobs, IJobExecutor executor, TimeProvider time)
{
    /// <summary>How often a waiting caller reads the job.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Trains tend.yaml's model on the dataset version (default: the newest) as a job; the run it tracked.</summary>
    public async Task<Core.Domain.Run> TrainAsync(Workspace ws, string? dataset, CancellationToken ct)
    {
        var job = await RunAsync(JobKinds.Train, ws.Spec.Name, Core.Domain.TendJson.Serialize(new TrainJob(dataset)), ws.Actor, ct);
        return await ws.GetRunAsync(Core.Domain.TendJson.Deserialize<string>(job.Result!), ct);
    }

    /// <summary>Stores the job, hands it out, and waits for it to end; the job as it ended. A failed job throws with its error.</summary>
    public async Task<Job> RunAsync(string kind, string project, string payload, string actor, CancellationToken ct)
    {
        var job = Job.Queue(kind, project, payload, actor, time.GetUtcNow());
        await jobs.AddAsync(job, ct);
        await executor.EnqueueAsync(job, ct);
        using var timer = new PeriodicTimer(Poll, time);
        Job? ended;
        while ((ended = await jobs.GetAsync(job.Id, ct)) is not { HasEnded: true })
            await timer.WaitForNextTickAsync(ct);
        return ended.State == JobState.Succeeded ? ended
            : throw new TendException(ErrorCode.Unexpected, $"job {job.Id[..8]} ({kind} of {project}) failed: {ended.Error}");
    }
}
