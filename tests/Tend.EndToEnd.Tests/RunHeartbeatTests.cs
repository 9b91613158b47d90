using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Domain;
using Tend.Pipelines;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// Nothing stays running after a crash (issue 21, item 4): a run's process beats its heartbeat; the next command that
/// looks at runs ends a run whose process is gone as killed, and <c>tend runs end</c> ends one by hand.
/// </summary>
public sealed class RunHeartbeatTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    [Fact]
    public async Task TrainKilledWith9_IsEndedAsKilledByTheNextCommand_SayingItsProcessEnded()
    {
        await _ws.InitAsync();
        await Cli.JsonAsync(_ws.Dir, "data", "add", _ws.HistoryCsv);
        var train = Process.Start(TendProcess.Command("train", "--workspace", _ws.Dir))!;
        string? running = null;
        for (var i = 0; i < 600 && running is null && !train.HasExited; i++)
        {
            await Task.Delay(50);
            var runs = (await Cli.JsonAsync(_ws.Dir, "runs", "list", "--where", "status = 'running'")).GetProperty("runs");
            running = runs.GetArrayLength() == 1 ? runs[0].GetProperty("id").GetString() : null;
        }
        Assert.True(running is not null, "tend train ended before its run was seen running");
        train.Kill();
        await train.WaitForExitAsync();

        var run = await Cli.JsonAsync(_ws.Dir, "runs", "show", running);

        Assert.Equal("killed", run.GetProperty("status").GetString());
        Assert.Matches($"^its process \\(.+-{train.Id}-\\d+\\) ended without ending it; last heartbeat ", run.GetProperty("error").GetString());
        var deleted = await Cli.JsonAsync(_ws.Dir, "runs", "delete", running!); // was refused as still running
        Assert.Equal(running, deleted.GetProperty("run_id").GetString());
    }

    [Fact]
    public async Task ARunBeatenElsewhere_IsKilledOnlyOnceItsHeartbeatLapsed_AndOneBeatenHereLives()
    {
        await _ws.InitAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ws = await Workspace.OpenAsync(_ws.Dir, CancellationToken.None, time: time);
        var elsewhere = await RunTracking.StartAsync(ws, new RunStart("spam"), CancellationToken.None);
        var here = await RunTracking.StartAsync(ws, new RunStart("spam"), CancellationToken.None);
        var silent = await RunTracking.StartAsync(ws, new RunStart("spam"), CancellationToken.None);
        await ws.Store.Runs.BeatAsync(elsewhere.Id, "another-host-42-1", time.GetUtcNow(), CancellationToken.None);
        await ws.Store.Runs.BeatAsync(here.Id, Core.Processes.ProcessOwner.Current, time.GetUtcNow(), CancellationToken.None);

        time.Advance(RunHeartbeat.Lapse - TimeSpan.FromSeconds(1));
        Assert.Equal(RunStatus.Running, (await ws.GetRunAsync(elsewhere.Id, CancellationToken.None)).Status);
        time.Advance(TimeSpan.FromSeconds(2));
        var lapsed = await ws.GetRunAsync(elsewhere.Id, CancellationToken.None);

        Assert.Equal(RunStatus.Killed, lapsed.Status);
        Assert.StartsWith("its process (another-host-42-1) stopped beating over 2 minutes ago without ending it", lapsed.Error);
        Assert.Equal(RunStatus.Running, (await ws.GetRunAsync(here.Id, CancellationToken.None)).Status); // this process lives
        Assert.Equal(RunStatus.Running, (await ws.GetRunAsync(silent.Id, CancellationToken.None)).Status); // never beat: its client's to end
    }

    [Fact]
    public async Task RunsEnd_EndsARunningRunAsFailedWithTheReason_AndRefusesAnEndedOne()
    {
        await _ws.InitAsync();
        string id;
        await using (var ws = await Workspace.OpenAsync(_ws.Dir, CancellationToken.None))
            id = (await RunTracking.StartAsync(ws, new RunStart("spam"), CancellationToken.None)).Id;

        var ended = await Cli.JsonAsync(_ws.Dir, "runs", "end", id[..8], "--status", "failed", "--reason", "the notebook crashed");
        var again = await Cli.RunAsync("runs", "end", id, "--workspace", _ws.Dir);
        var bogus = await Cli.RunAsync("runs", "end", id, "--status", "finished", "--workspace", _ws.Dir);

        Assert.Equal(("failed", "the notebook crashed"), (ended.GetProperty("status").GetString(), ended.GetProperty("error").GetString()));
        Assert.NotEqual(0, again.Exit);
        Assert.Contains("has already ended (failed)", again.Stderr);
        Assert.NotEqual(0, bogus.Exit);
        Assert.Contains("killed", bogus.Stderr);
        var audit = await Cli.JsonAsync(_ws.Dir, "audit", "--subject", id);
        Assert.Contains(audit.GetProperty("events").EnumerateArray(), e => e.GetProperty("action").GetString() == "run.failed");
    }

    public void Dispose() => _ws.Dispose();
}
