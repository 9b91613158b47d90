using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tend.Core.Errors;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Pipelines.Services;
using Tend.Serving;

namespace Tend.Server;

/// <summary>
/// Judges every active release in the store while the server runs, every <see cref="JudgeEvery"/> on the workspace's
/// clock: the prediction log is flushed first, so the judgement sees every answered request. Decisions are the
/// <see cref="Actor"/>'s in the audit trail. A release that cannot be judged (its project's tend.yaml is broken, its
/// champion's file is missing) is logged and tried again next time.
/// </summary>
internal sealed class ReleaseHost(Workspace ws, ProjectService projects, PredictionLog log, ILogger<ReleaseHost> logger) : BackgroundService
{
    public static readonly TimeSpan JudgeEvery = TimeSpan.FromSeconds(10);

    /// <summary>Who decides what the evidence says, in the audit trail.</summary>
    public const string Actor = "tend-release";

    private readonly Dictionary<string, ReleaseController> _controllers = [];

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(JudgeEvery, ws.Time, stop);
                await JudgeAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var controller in _controllers.Values)
                controller.Dispose();
        }
    }

    private async Task JudgeAsync(CancellationToken ct)
    {
        var active = (await ReleaseController.LatestAsync(ws, ct)).Where(r => r.Active).Select(r => r.Model).ToList();
        if (active.Count == 0)
            return;
        await log.FlushAsync(ct);
        foreach (var model in active)
            try
            {
                if (!_controllers.TryGetValue(model, out var controller))
                    _controllers[model] = controller = new ReleaseController(ws.For(await projects.GetAsync(model, ct)).As(Actor), line => logger.LogWarning("{Release}", line));
                await controller.TickAsync(model, ct);
            }
            catch (Exception e) when (e is TendException or IOException)
            {
                logger.LogError("release of {Model} not judged: {Message}", model, e.Message);
            }
    }
}
