using System.Diagnostics;
using System.Text.Json;

namespace Tend.Ui.Tests;

/// <summary>The real <c>tend</c> executable of this build, started as a separate process.</summary>
internal sealed class TendProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TendProcess(Process process) => _process = process;

    /// <summary>src/Tend.Cli's build output for the same configuration as this test assembly.</summary>
    public static string Dll
    {
        get
        {
            var bin = new DirectoryInfo(AppContext.BaseDirectory); // tests/Tend.Ui.Tests/bin/<config>/net10.0/linux-x64/
            var root = bin;
            while (!File.Exists(Path.Combine(root.FullName, "Tend.slnx")))
                root = root.Parent ?? throw new InvalidOperationException("Tend.slnx not found above " + bin.FullName);
            var relative = Path.GetRelativePath(Path.Combine(root.FullName, "tests", "Tend.Ui.Tests"), bin.FullName);
            return Path.Combine(root.FullName, "src", "Tend.Cli", relative, "tend.dll");
        }
    }

    /// <summary>Runs <c>tend ARGS</c> to its end, insists it succeeded, and returns what it wrote to stdout.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Dll }.Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"tend {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return stdout;
    }

    /// <summary>Runs <c>tend ARGS --json</c> and returns once its first stdout line (the JSON document) is written.</summary>
    public static async Task<(TendProcess Process, JsonElement Output)> StartAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Dll }.Concat(args).Append("--json"))
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (line is null)
            throw new InvalidOperationException($"tend exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        return (new TendProcess(process), JsonDocument.Parse(line).RootElement);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
