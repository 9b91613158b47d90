using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tend.Pipelines.Services;
using Tend.Pipelines.Triggers;

namespace Tend.Server;

/// <summary>
/// Runs the triggers of the declared pipelines of every project in the store while the server runs (those of the
/// projects it holds when it starts), and hands webhook calls to the project's triggers.
/// </summary>
internal sealed class PipelineTriggerHost(JobHost jobs, ProjectService projects, ILogger<PipelineTriggerHost> logger) : BackgroundService
{
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, PipelineTriggers>> _projects = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        try
        {
            var ws = jobs.Workspace;
            var triggered = (await projects.ListAsync(stop))
                .Where(p => p.Spec?.Pipelines?.Any(pipeline => pipeline.Triggers is { Count: > 0 }) == true)
                .Select(p => new PipelineTriggers(ws.For(p), logger, stop)).ToDictionary(t => t.Project);
            _projects.TrySetResult(triggered);
            await Task.WhenAll(triggered.Values.Select(t => t.RunAsync(stop)));
        }
        finally
        {
            _projects.TrySetCanceled(stop);
        }
    }

    /// <summary>The project's triggers; null when none of its pipelines has any.</summary>
    public async Task<PipelineTriggers?> ForAsync(string project, CancellationToken ct) => (await _projects.Task.WaitAsync(ct)).GetValueOrDefault(project);
}
