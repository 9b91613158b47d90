using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Pipelines.Stages;
using Tend.Serving;

namespace Tend.Server;

/// <summary>
/// Runs the monitor on tend.yaml's <c>monitor.schedule</c> (cron, UTC) while the server runs: the prediction log is
/// flushed, <c>monitor.current</c> (default: the last 24 hours of traffic) is compared with <c>monitor.reference</c>
/// (default: the champion's training data), the report is stored and the alert rules are checked. A run that fails is
/// logged and the next one still comes; a window without traffic is only noted. <paramref name="time"/> says when a run is due.
/// </summary>
internal sealed class MonitorSchedule(Workspace ws, PredictionLog log, ILogger<MonitorSchedule> logger, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (ws.Spec.Monitor.Schedule is not { } schedule)
            return;
        var cron = MonitorSpec.Cron(schedule);
        logger.LogInformation("monitor scheduled: {Schedule} (UTC)", schedule);
        while (!stop.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            if (cron.GetNextOccurrence(now) is not { } next)
                return;
            await Task.Delay(next - now, time, stop);
            await RunOnceAsync(stop);
        }
    }

    private async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await log.FlushAsync(ct);
            var monitor = ws.Spec.Monitor;
            var report = await MonitorStage.RunAsync(ws, new MonitorRequest(monitor.Reference, monitor.Current ?? MonitorSpec.DefaultScheduledWindow), ct);
            logger.LogInformation("monitor report {Id}: {Verdict}", report.Id, report.DatasetDrift ? $"dataset drift by {report.Rule}" : "no dataset drift");
            await AlertStage.CheckAsync(ws, report, line => logger.LogWarning("{Alert}", line), ct);
        }
        catch (TendException e) when (e.Code == ErrorCode.NotFound)
        {
            logger.LogInformation("scheduled monitor skipped: {Reason}", e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "scheduled monitor failed");
        }
    }
}
