using System.Diagnostics;
using Tend.Core.Artifacts;
using Tend.Core.Processes;

namespace Tend.Core.Tests;

/// <summary>A store's temp folder: each process writes in its own folder; a sweep removes only what ended processes left (issue 21, item 4).</summary>
public sealed class TempFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tend-temp-").FullName;

    [Fact]
    public async Task Sweep_RemovesTheFoldersOfEndedProcessesAndLooseFiles_KeepsThoseOfLivingOnesAndOtherHosts()
    {
        var temp = new TempFolder(_root);
        var mine = temp.NewFile("ingest.parquet");
        File.WriteAllText(mine, "in progress");
        using var living = Process.Start("sleep", "30");
        using var ended = Process.Start("true");
        await ended.WaitForExitAsync();
        var livingOwner = ProcessOwner.Of(living.Id);
        var endedOwner = $"{Environment.MachineName}-{ended.Id}-12345";
        foreach (var owner in new[] { livingOwner, endedOwner, "another-host-7-1" })
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(_root, owner)).FullName, "part"), "x");
        File.WriteAllText(Path.Combine(_root, "loose.tmp"), "");
        try
        {
            var swept = temp.Sweep();

            Assert.Equal([Path.Combine(_root, "loose.tmp"), Path.Combine(_root, endedOwner)], swept);
            Assert.True(File.Exists(mine));
            Assert.True(Directory.Exists(Path.Combine(_root, livingOwner)));
            Assert.True(Directory.Exists(Path.Combine(_root, "another-host-7-1")));
            Assert.Empty(temp.Leftovers());
        }
        finally
        {
            living.Kill();
        }
    }

    /// <summary>Two processes that open the store at once both sweep the same leftovers: neither fails on what the other removed first.</summary>
    [Fact]
    public async Task SweepsAtOnce_BothEnd_AndTheLeftoversAreGone()
    {
        for (var owner = 0; owner < 40; owner++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_root, $"{Environment.MachineName}-{int.MaxValue - owner}-1", "deep", "er"));
            for (var file = 0; file < 20; file++)
                File.WriteAllText(Path.Combine(folder.FullName, $"part{file}"), "x");
            File.WriteAllText(Path.Combine(_root, $"loose{owner}.tmp"), "");
        }
        using var start = new Barrier(4);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            new TempFolder(_root).Sweep();
        })));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public void AProcessOwner_HasEnded_OnlyWhenItsProcessIsGoneOrItsIdWasReused()
    {
        Assert.False(ProcessOwner.HasEnded(ProcessOwner.Current));
        Assert.True(ProcessOwner.HasEnded($"{Environment.MachineName}-{Environment.ProcessId}-1")); // the id, started at another time
        Assert.Null(ProcessOwner.HasEnded("another-host-1-1"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
