using Microsoft.Extensions.Logging.Abstractions;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;

namespace Tend.EndToEnd.Tests.Scale;

/// <summary>
/// Jobs on the embedded store, where the process that hands a job out runs it with an in-memory scheduler: a declared
/// pipeline run as a job, cancelled through the store as a worker's would be, and a failed job's kind of failure kept
/// to the caller's exit code.
/// </summary>
public sealed class EmbeddedJobTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private const string Pipelines = """

        pipelines:
          - name: wait
            steps:
              - name: wait
                command: while [ ! -f released ]; do sleep 0.05; done
                cache: false
        """;

    [Fact]
    public async Task APipelineRun_IsAJob_AndCancellingTheJob_CancelsTheRun()
    {
        using var dir = new TestWorkspace();
        await dir.InitAsync();
        File.AppendAllText(Path.Combine(dir.Dir, "tend.yaml"), Pipelines);
        await using var ws = await Workspace.OpenAsync(dir.Dir, Ct);
        await using var engine = await JobEngine.StartAsync(ws, 1, NullLogger.Instance, Ct);

        using var cancel = new CancellationTokenSource();
        var running = engine.Dispatch.PipelineAsync(ws, new PipelineJob("wait", "manual"), Ct, cancel.Token);
        await Eventually.HoldsAsync(async () => (await ws.Store.Pipelines.ListAsync(Ct)).Any(r => r.Status == PipelineState.Running));
        await cancel.CancelAsync();
        var result = await running;
        Assert.Equal((PipelineState.Cancelled, "wait cancelled"), (result.Run.Status, result.Run.Message));
        var job = Assert.Single(await ws.Store.Jobs.ListAsync(Ct));
        Assert.Equal((JobKinds.Pipeline, JobState.Succeeded, ws.Actor), (job.Kind, job.State, job.CancelledBy)); // the run ended, recorded as cancelled

        File.WriteAllText(Path.Combine(dir.Dir, "released"), "");
        var queued = await Cli.JsonAsync(dir.Dir, "pipeline", "run", "wait", "--queue");
        Assert.Equal((true, "manual"), (queued.GetProperty("succeeded").GetBoolean(), queued.GetProperty("trigger").GetString()));
        var second = (await ws.Store.Jobs.ListAsync(Ct))[0];
        Assert.Equal(queued.GetProperty("id").GetString(), TendJson.Deserialize<PipelineResult>(second.Result!).Run.Id);
    }

    [Fact]
    public async Task AFailedJob_FailsTheCaller_WithItsKindOfFailure()
    {
        using var dir = new TestWorkspace();
        await dir.InitAsync(); // no data added: nothing to train on
        var here = await Cli.RunAsync("train", "--workspace", dir.Dir);
        var queued = await Cli.RunAsync("train", "--queue", "--workspace", dir.Dir);
        Assert.NotEqual(0, here.Exit);
        Assert.Equal(here.Exit, queued.Exit);
        Assert.Equal(ErrorCodes.ExitCode(ErrorCode.NotFound), queued.Exit);
        await using var ws = await Workspace.OpenAsync(dir.Dir, Ct);
        var job = Assert.Single(await ws.Store.Jobs.ListAsync(Ct));
        Assert.Equal((JobState.Failed, ErrorCode.NotFound), (job.State, job.Code));
        Assert.Contains(job.Error!, queued.Stderr);
    }
}
