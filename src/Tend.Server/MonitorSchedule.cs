using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Services;
using Tend.Serving;

namespace Tend.Server;

/// <summary>
/// Runs the monitor of every project in the store on its tend.yaml's <c>monitor.schedule</c> (cron, UTC) while the server
/// runs, once a slot however many servers run it (<see cref="ScheduleSlots"/>): the server's prediction log is flushed
/// and the monitor is handed out as a job (<see cref="JobDispatch.MonitorAsync"/>), which a worker or this server runs
/// (the slot's job names it, and it says what became of the monitor); the next slot comes once it has ended. A monitor
/// that fails is logged and the next one still comes. The projects are those the store holds when the server
/// starts; the workspace's clock says when a run is due.
/// </summary>
internal sealed class MonitorSchedule(JobHost jobs, ProjectService projects, PredictionLog log, ILogger<MonitorSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var ws = jobs.Workspace;
        var scheduled = (await projects.ListAsync(stop)).Where(p => p.Spec?.Monitor.Schedule is not null).Select(ws.For);
        await Task.WhenAll(scheduled.Select(project => RunAsync(project, stop)));
    }

    private async Task RunAsync(Workspace project, CancellationToken stop)
    {
        var schedule = project.Spec.Monitor.Schedule!;
        var cron = MonitorSpec.Cron(schedule);
        logger.LogInformation("monitor of {Project} scheduled: {Schedule} (UTC)", project.Spec.Name, schedule);
        while (!stop.IsCancellationRequested)
        {
            var now = project.Time.GetUtcNow().UtcDateTime;
            if (cron.GetNextOccurrence(now) is not { } next)
                return;
            await Task.Delay(next - now, project.Time, stop);
            try
            {
                // The slot is handed out; then this server waits for the monitor to end before the next slot, as one run does.
                var job = await ScheduleSlots.FireOnceAsync(project, "monitor", next, async () =>
                {
                    await log.FlushAsync(stop);
                    return await project.Jobs!.MonitorAsync(project, stop);
                }, null, stop);
                if (job is not null)
                    logger.LogInformation("scheduled monitor of {Project}: {Result}", project.Spec.Name, TendJson.Deserialize<string>((await project.Jobs!.WaitAsync(job, stop)).Result!));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "scheduled monitor of {Project} failed", project.Spec.Name); // the next run still comes
            }
        }
    }
}
