using System.Diagnostics;
using System.Text.Json;

namespace Tend.EndToEnd.Tests;

/// <summary>The README's install command: <c>scripts/install.sh</c> packs tend as a .NET tool and installs it, and the installed tool works from any folder.</summary>
public sealed class InstallTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-install-").FullName;

    [Fact]
    public async Task InstallScript_PutsAWorkingTendInTheToolPath_ThatRunsOutsideTheRepository()
    {
        var tools = Path.Combine(_dir, "tools");
        var (exit, output) = await RunAsync("bash", Repository, Path.Combine(Repository, "scripts", "install.sh"), "--tool-path", tools);
        Assert.True(exit == 0, output);
        var tend = Path.Combine(tools, "tend");

        var (_, version) = await RunAsync(tend, _dir, "--version");
        Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{40}\s*$", version); // the version and the commit it was built from

        var project = Path.Combine(_dir, "churn");
        Assert.Equal(0, (await RunAsync(tend, _dir, "init", project, "--task", "binary", "--label", "type", "--data", TestWorkspace.SpamCsv, "--name", "churn")).Exit);
        var (listed, runs) = await RunAsync(tend, project, "runs", "list", "--json"); // from the project's folder, as the README goes on
        Assert.True(listed == 0, runs);
        Assert.Equal(0, JsonDocument.Parse(runs).RootElement.GetProperty("total").GetInt32());
        var (added, ingest) = await RunAsync(tend, project, "data", "add", "spam.csv"); // init copied the data in: 'cd churn; tend data add spam.csv'
        Assert.True(added == 0, ingest);
    }

    private static string Repository
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(dir.FullName, "Tend.slnx")))
                dir = dir.Parent ?? throw new InvalidOperationException("Tend.slnx not found above " + AppContext.BaseDirectory);
            return dir.FullName;
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string folder, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
