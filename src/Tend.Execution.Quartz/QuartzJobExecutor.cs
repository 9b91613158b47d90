using Quartz;
using Tend.Core.Execution;

namespace Tend.Execution.Quartz;

/// <summary>
/// Jobs handed out by a Quartz.NET scheduler. On PostgreSQL it is clustered: each job is a one-off trigger in the shared
/// tables that exactly one node acquires, marked for recovery, so a node that dies (stops checking in) has its jobs fired
/// again on another. Re-execution is made harmless by the job's fencing number (<see cref="IJobStore.BeginAsync"/>).
/// A process with no slots builds the scheduler without starting it: it adds jobs, never runs them.
/// </summary>
public sealed class QuartzJobExecutor : IJobExecutor
{
    private readonly IScheduler _scheduler;

    private QuartzJobExecutor(IScheduler scheduler) => _scheduler = scheduler;

    /// <summary>Builds this process's scheduler, with <paramref name="work"/> as what it does with a job handed to it, and starts it when it has slots.</summary>
    public static async Task<QuartzJobExecutor> StartAsync(ExecutionOptions options, JobWork work, CancellationToken ct)
    {
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseDefaultThreadPool(Math.Max(1, options.Slots));
            q.ConfigureScheduler(o =>
            {
                o.IdleWaitTime = ExecutionOptions.IdleWait;
                o.ShutdownJobInterruption = options.CancelOnStop ? ShutdownJobInterruption.WhenWaitingForJobs : ShutdownJobInterruption.Never;
            });
            if (options.ClusterLimits.Count > 0)
                q.UseExecutionLimits(limits =>
                {
                    foreach (var (kind, most) in options.ClusterLimits)
                        limits.ForGroup(kind, most, options.PostgresConnection is null ? ExecutionLimitScope.Node : ExecutionLimitScope.Cluster);
                });
            if (options.PostgresConnection is { } connection)
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(connection);
                    store.ProvisionSchema();
                    store.ConfigureStore(o => o.RecoverFiringsCancelledByShutdown = true); // a job cancelled by a stop runs again elsewhere
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.CheckinInterval;
                        c.CheckinMisfireThreshold = options.CheckinMisfireThreshold;
                    });
                });
            else
                q.UseInMemoryStore();
        }).BuildScheduler(ct);
        scheduler.Context[StoredJob.WorkKey] = work;
        if (options.Slots > 0)
            await scheduler.Start(ct);
        return new QuartzJobExecutor(scheduler);
    }

    public async Task EnqueueAsync(Job job, CancellationToken ct)
    {
        var detail = JobBuilder.Create<StoredJob>().WithIdentity(job.Id, StoredJob.Group).UsingJobData(StoredJob.JobKey, job.Id)
            .RequestRecovery().WithDescription($"{job.Kind} of {job.Project}").Build();
        var trigger = TriggerBuilder.Create().WithIdentity(job.Id, StoredJob.Group).WithExecutionGroup(job.Kind).StartNow().Build(); // its kind's limit counts it
        await _scheduler.ScheduleJob(detail, trigger, cancellationToken: ct);
    }

    /// <summary>
    /// Stops taking jobs and waits for those running to end: a worker stopped with SIGTERM finishes its work, a server
    /// cancels it (<see cref="ExecutionOptions.CancelOnStop"/>); one killed leaves it to the others.
    /// </summary>
    public async ValueTask DisposeAsync() => await _scheduler.Shutdown(waitForJobsToComplete: true);
}
