using System.Reflection;
using System.Runtime.InteropServices;

namespace Tend.Training.Tracking;

/// <summary>
/// What a run ran on: OS, CPU, .NET, package versions, and the git commit of the workspace with whether its tracked
/// files had uncommitted changes, if it is in a repository.
/// </summary>
public static class RunEnvironment
{
    public static IReadOnlyDictionary<string, string> Capture(string workspace)
    {
        var environment = new Dictionary<string, string>
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["processors"] = Environment.ProcessorCount.ToString(),
            ["cpu"] = CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            ["tend"] = Version(typeof(RunEnvironment).Assembly),
            ["microsoft.ml"] = Version(typeof(Microsoft.ML.MLContext).Assembly),
            ["microsoft.ml.lightgbm"] = Version(typeof(Microsoft.ML.Trainers.LightGbm.LightGbmBinaryTrainer).Assembly),
        };
        if (GitCommit(workspace) is { } commit)
        {
            environment["git_commit"] = commit;
            if (GitDirty(workspace) is { } dirty)
                environment["git_dirty"] = dirty ? "true" : "false";
        }
        return environment;
    }

    /// <summary>The CPU's model name, from /proc/cpuinfo on Linux; null elsewhere.</summary>
    private static string? CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;

    /// <summary>Whether tracked files differ from the commit (git status, untracked files aside); null when git cannot be run.</summary>
    public static bool? GitDirty(string workspace)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-C", Path.GetFullPath(workspace), "status", "--porcelain", "--untracked-files=no" })
                start.ArgumentList.Add(arg);
            using var git = System.Diagnostics.Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd();
            git.StandardError.ReadToEnd();
            return git.WaitForExit(10_000) && git.ExitCode == 0 ? output.Trim().Length > 0 : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
    }

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Reads .git/HEAD (and the ref it names) upward from the workspace, without running git.</summary>
    public static string? GitCommit(string workspace)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(workspace)); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (!Directory.Exists(git))
                continue;
            var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal))
                return head;
            var reference = head[5..];
            var file = Path.Combine(git, reference);
            if (File.Exists(file))
                return File.ReadAllText(file).Trim();
            var packed = Path.Combine(git, "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference)?[0]
                : null;
        }
        return null;
    }
}
