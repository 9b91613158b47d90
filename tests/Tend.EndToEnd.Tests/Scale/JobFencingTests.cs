using Microsoft.Extensions.Logging.Abstractions;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Execution;
using Tend.Pipelines;
using Tend.Pipelines.Jobs;
using Tend.Pipelines.Stages;

namespace Tend.EndToEnd.Tests.Scale;

/// <summary>
/// A job taken for dead while its first attempt still runs (an overloaded database delayed the worker's check-ins) is
/// run again; the first attempt, finishing late, may write nothing more, so the job keeps one result and one run.
/// </summary>
public sealed class JobFencingTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task ASupersededAttempt_WritesNoRun_AndTheJobKeepsTheLatestResult()
    {
        using var dir = new TestWorkspace();
        await dir.InitAsync();
        await Cli.JsonAsync(dir.Dir, "data", "add", dir.HistoryCsv);
        await using var ws = await Workspace.OpenAsync(dir.Dir, Ct);
        var jobs = ws.Store.Jobs;
        var job = Job.Queue(JobKinds.Train, "spam", TendJson.Serialize(new TrainJob(null)), ws.Actor, ws.Time.GetUtcNow());
        Assert.True(await jobs.AddAsync(job, Ct));
        var first = (await jobs.BeginAsync(job.Id, "a worker taken for dead", ws.Time.GetUtcNow(), Ct))!;

        await new JobRunner(ws, NullLogger.Instance, handedBack: true).RunAsync(job.Id, Ct); // the recovered copy: attempt 2, here
        var ended = (await jobs.GetAsync(job.Id, Ct))!;
        Assert.Equal((JobState.Succeeded, 2L), (ended.State, ended.Fence));
        var trained = TendJson.Deserialize<string>(ended.Result!);

        // The first attempt, still running, finishes its training late: its first run write is refused.
        var late = await Assert.ThrowsAsync<TendException>(() => TrainStage.RunAsync(ws.Fenced(new JobAttempt(jobs, first)), null, Ct));
        Assert.Equal(ErrorCode.Conflict, late.Code);
        Assert.Contains("attempt 1 of job", late.Message);
        Assert.False(await jobs.EndAsync(job.Id, first.Fence, "\"another run\"", null, ws.Time.GetUtcNow(), Ct));
        var runs = (await ws.Store.Runs.QueryAsync(Core.Stores.RunQuery.Parse("spam", null, null), Ct)).Runs;
        Assert.Equal([trained], runs.Select(r => r.Id));
        Assert.Equal(trained, TendJson.Deserialize<string>((await jobs.GetAsync(job.Id, Ct))!.Result!));
    }

    /// <summary>On the embedded store the job runs in the process that hands it out (an in-memory scheduler); no worker serves a SQLite file.</summary>
    [Fact]
    public async Task OnTheEmbeddedStore_TheQueuedTrainingRunsHere_AndAWorkerIsRefused()
    {
        using var dir = new TestWorkspace();
        await dir.InitAsync();
        await Cli.JsonAsync(dir.Dir, "data", "add", dir.HistoryCsv);
        var trained = await Cli.JsonAsync(dir.Dir, "train", "--queue");
        Assert.Equal("finished", trained.GetProperty("status").GetString());
        await using (var ws = await Workspace.OpenAsync(dir.Dir, Ct))
        {
            var job = Assert.Single(await ws.Store.Jobs.ListAsync(Ct));
            Assert.Equal((JobKinds.Train, JobState.Succeeded, 1L), (job.Kind, job.State, job.Fence));
            Assert.Equal(trained.GetProperty("run_id").GetString(), TendJson.Deserialize<string>(job.Result!));
        }
        var worker = await Cli.RunAsync("worker", "--workspace", dir.Dir);
        Assert.Equal(2, worker.Exit);
        Assert.Contains("a worker runs the jobs of a shared store", worker.Stderr);
    }
}
