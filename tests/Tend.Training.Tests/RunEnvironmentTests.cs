using System.Diagnostics;
using Tend.Training.Tracking;

namespace Tend.Training.Tests;

public class RunEnvironmentTests
{
    private static void Git(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com" }.Concat(args))
            start.ArgumentList.Add(arg);
        using var git = Process.Start(start)!;
        git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
    }

    [Fact]
    public void Capture_RecordsTheCommit_AndWhetherTrackedFilesChanged()
    {
        var dir = Directory.CreateTempSubdirectory("tend-git-").FullName;
        File.WriteAllText(Path.Combine(dir, "tend.yaml"), "name: t\n");
        Git(dir, "init", "-q");
        Git(dir, "add", "tend.yaml");
        Git(dir, "commit", "-q", "-m", "first");
        File.WriteAllText(Path.Combine(dir, "untracked.csv"), "x\n"); // untracked files do not make it dirty

        var clean = RunEnvironment.Capture(dir);
        Assert.Equal(40, clean["git_commit"].Length);
        Assert.Equal("false", clean["git_dirty"]);
        Assert.False(string.IsNullOrWhiteSpace(clean["cpu"]));

        File.AppendAllText(Path.Combine(dir, "tend.yaml"), "description: changed\n");
        Assert.Equal("true", RunEnvironment.Capture(dir)["git_dirty"]);
        Directory.Delete(dir, recursive: true);
    }
}
