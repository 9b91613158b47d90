using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Serving;

namespace Tend.Server;

/// <summary>
/// Runs the monitor of every project in the store on its tend.yaml's <c>monitor.schedule</c> (cron, UTC) while the server
/// runs, once a slot however many servers run it (<see cref="ScheduleSlots"/>): the prediction log is flushed, <c>monitor.current</c> (default: the last 24 hours of traffic) is compared with
/// <c>monitor.reference</c> (default: the champion's training data), the report is stored and the alert rules are checked.
/// A run that fails is logged and the next one still comes; a window without traffic is only noted. The projects are
/// those the store holds when the server starts; the workspace's clock says when a run is due.
/// </summary>
internal sealed class MonitorSchedule(Workspace ws, ProjectService projects, PredictionLog log, ILogger<MonitorSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
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
                await ScheduleSlots.FireOnceAsync(project, "monitor", next, () => RunOnceAsync(project, stop), "fired by another server", stop);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "scheduled monitor of {Project} failed", project.Spec.Name); // the next run still comes
            }
        }
    }

    /// <summary>Runs the monitor once; what became of it. A window without what it needs is skipped; any other failure throws.</summary>
    private async Task<string> RunOnceAsync(Workspace project, CancellationToken ct)
    {
        try
        {
            await log.FlushAsync(ct);
            var monitor = project.Spec.Monitor;
            var (report, _) = await MonitorStage.RunAndAlertAsync(project, new MonitorRequest(monitor.Reference, monitor.Current ?? MonitorSpec.DefaultScheduledWindow),
                line => logger.LogWarning("{Alert}", line), ct);
            var verdict = report.DatasetDrift ? $"dataset drift by {report.Rule}" : "no dataset drift";
            logger.LogInformation("monitor report {Id} of {Project}: {Verdict}", report.Id, project.Spec.Name, verdict);
            return $"report {report.Id}: {verdict}";
        }
        catch (TendException e) when (e.Code == ErrorCode.NotFound)
        {
            logger.LogInformation("scheduled monitor of {Project} skipped: {Reason}", project.Spec.Name, e.Message);
            return $"skipped: {e.Message}";
        }
    }
}
