using Tend.Core.Domain;
using Tend.Core.Execution;

namespace Tend.Pipelines.Jobs;

/// <summary>Hands jobs to the processes that run them and waits for what they make.</summary>
public sealed class JobDispatch(IJobStore jobs, IJobExecutor executor, TimeProvider time)
{
    /// <summary>How often a waiting caller reads the job (on the machine's clock: a wait, not a time anything is recorded at).</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Trains tend.yaml's model on the dataset version (default: the newest) as a job; the run it tracked.</summary>
    public async Task<Run> TrainAsync(Workspace ws, string? dataset, CancellationToken ct)
    {
        var job = await RunAsync(JobKinds.Train, ws.Spec.Name, TendJson.Serialize(new TrainJob(dataset)), ws.Actor, ct);
        return await ws.GetRunAsync(TendJson.Deserialize<string>(job.Result!), ct);
    }

    /// <summary>Runs a declared pipeline as a job; the run as it was recorded. <paramref name="cancel"/>: cancel the job (and so the run), and wait for it to end.</summary>
    public async Task<PipelineResult> PipelineAsync(Workspace ws, PipelineJob pipeline, CancellationToken ct, CancellationToken cancel = default)
    {
        var job = await RunAsync(JobKinds.Pipeline, ws.Spec.Name, TendJson.Serialize(pipeline), ws.Actor, ct, cancel);
        return TendJson.Deserialize<PipelineResult>(job.Result!);
    }

    /// <summary>Hands the project's scheduled monitor out as a job, without waiting for it (<see cref="WaitAsync"/>): the job's id. Its result will say what became of the monitor.</summary>
    public async Task<string> MonitorAsync(Workspace ws, CancellationToken ct) => (await HandOutAsync(JobKinds.Monitor, ws.Spec.Name, "{}", ws.Actor, ct)).Id;

    /// <summary>Stores the job and hands it out; the job, queued.</summary>
    public async Task<Job> HandOutAsync(string kind, string project, string payload, string actor, CancellationToken ct)
    {
        var job = Job.Queue(kind, project, payload, actor, time.GetUtcNow());
        await jobs.AddAsync(job, ct);
        await executor.EnqueueAsync(job, ct);
        return job;
    }

    /// <summary>
    /// Stores the job, hands it out, and waits for it to end (<see cref="WaitAsync"/>); the job as it ended. A failed job
    /// throws its failure. Once <paramref name="cancel"/> is, the job is asked to be cancelled, and still waited for.
    /// </summary>
    public async Task<Job> RunAsync(string kind, string project, string payload, string actor, CancellationToken ct, CancellationToken cancel = default) =>
        await WaitAsync((await HandOutAsync(kind, project, payload, actor, ct)).Id, ct, cancel);

    /// <summary>Waits for the job to end; the job as it ended, or its failure thrown. Once <paramref name="cancel"/> is, the job is asked to be cancelled, by who handed it out.</summary>
    public async Task<Job> WaitAsync(string id, CancellationToken ct, CancellationToken cancel = default)
    {
        var asked = false;
        Job? ended;
        while ((ended = await jobs.GetAsync(id, ct) ?? throw Core.Errors.TendException.NotFound($"no job has id '{id}'")) is not { HasEnded: true })
        {
            ct.ThrowIfCancellationRequested(); // the caller stops waiting, whatever else is cancelled with it
            if (cancel.IsCancellationRequested && !asked)
            {
                asked = true;
                await jobs.CancelAsync(id, ended.Actor, time.GetUtcNow(), ct);
            }
            else
                await Task.Delay(Poll, TimeProvider.System, ct);
        }
        return ended.Failure is { } failure ? throw failure : ended;
    }
}
