using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Tend.Client;

/// <summary>
/// Where the training code runs: OS, CPU model, count and architecture, .NET, the program, the versions of the ML
/// packages it has loaded (ML.NET, ONNX Runtime, TorchSharp …), and the git commit of the working folder when it is in
/// a repository.
/// </summary>
internal static class ClientEnvironment
{
    public static Dictionary<string, string> Capture()
    {
        var environment = new Dictionary<string, string>
        {
            ["os"] = RuntimeInformation.OSDescription,
            ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
            ["processor_count"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["tend_client"] = typeof(ClientEnvironment).Assembly.GetName().Version?.ToString() ?? "",
        };
        if (File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } cpu)
            environment["cpu"] = cpu.Split(':', 2)[1].Trim();
        if (Assembly.GetEntryAssembly()?.GetName() is { } program)
            environment["program"] = $"{program.Name} {program.Version}";
        foreach (var package in AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName())
                     .Where(a => a.Name is { } n && (n == "Microsoft.ML" || n.StartsWith("Microsoft.ML.", StringComparison.Ordinal) || n == "TorchSharp")))
            environment[package.Name!.ToLowerInvariant()] = package.Version?.ToString() ?? "";
        if (Git("rev-parse HEAD") is { Length: > 0 } commit)
        {
            environment["git_commit"] = commit;
            environment["git_dirty"] = (Git("status --porcelain --untracked-files=no") is { Length: > 0 }).ToString().ToLowerInvariant();
        }
        return environment;
    }

    private static string? Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            var output = git!.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
