using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// README.md's "Using it", so the README and the code cannot drift apart: its install command (<c>scripts/install.sh</c>)
/// packs tend as a .NET tool and installs it; its walkthrough then runs as written, line by line in one shell, with the
/// installed tool, from a folder holding the sample it uses; every line of its list of further commands is one that
/// Tend parses.
/// </summary>
public sealed partial class ReadmeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-readme-").FullName;

    [Fact]
    public async Task InstallCommand_ThenTheWalkthrough_RunAsWritten()
    {
        var tools = Path.Combine(_dir, "tools");
        var (exit, output) = await RunAsync("bash", Repository, [], Path.Combine(Repository, "scripts", "install.sh"), "--tool-path", tools);
        Assert.True(exit == 0, output);
        var (_, version) = await RunAsync(Path.Combine(tools, "tend"), _dir, [], "--version");
        Assert.Matches(@"^\d+\.\d+\.\d+\+[0-9a-f]{40}\s*$", version); // the version and the commit it was built from

        var walkthrough = UsingIt()[0];
        var samples = Path.Combine(_dir, "samples", "credit");
        Directory.CreateDirectory(samples);
        File.Copy(Path.Combine(Repository, "samples", "credit", "credit.csv"), Path.Combine(samples, "credit.csv"));
        var script = Path.Combine(_dir, "walkthrough.sh");
        File.WriteAllText(script, "set -euxo pipefail\n" + walkthrough);
        var path = new Dictionary<string, string> { ["PATH"] = tools + ":" + Environment.GetEnvironmentVariable("PATH") };
        var (ran, log) = await RunAsync("bash", _dir, path, script);
        Assert.True(ran == 0, $"README's walkthrough stopped (exit {ran}):\n{log}");
        // What the lines say they leave behind.
        Assert.True(File.Exists(Path.Combine(_dir, "churn", "credit.csv")));
        Assert.True(File.Exists(Path.Combine(_dir, "churn", "evaluation.html")));
        Assert.True(File.Exists(Path.Combine(_dir, "churn", "scored.csv")));
        Assert.Contains("v1 is now champion", log);
        Assert.Contains("hash chain intact", log);
    }

    [Fact]
    public void EveryFurtherCommand_IsOneTendParses()
    {
        var lines = UsingIt()[1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 15, string.Join('\n', lines));
        foreach (var line in lines)
        {
            var words = Words(line);
            Assert.Equal("tend", words[0]);
            var errors = Tend.Cli.TendCli.ParseErrors(words[1..]);
            Assert.True(errors.Count == 0, $"'{line}': {string.Join("; ", errors)}");
        }
        // The check can fail: a misspelt option is caught.
        Assert.NotEmpty(Tend.Cli.TendCli.ParseErrors(["runs", "list", "--order", "metrics.auc"]));
    }

    /// <summary>The shell blocks of README.md's "Using it" section, in order.</summary>
    private static List<string> UsingIt()
    {
        var readme = File.ReadAllText(Path.Combine(Repository, "README.md"));
        var start = readme.IndexOf("\n## Using it\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Using it' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return ShellBlock().Matches(section).Select(m => m.Groups[1].Value).ToList();
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    /// <summary>A line's words as a shell splits them (double quotes keep spaces), up to its comment.</summary>
    private static string[] Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var (quoted, any) = (false, false);
        foreach (var c in line)
        {
            if (c == '"')
                (quoted, any) = (!quoted, true);
            else if (c == '#' && !quoted && word.Length == 0)
                break;
            else if (c == ' ' && !quoted)
            {
                if (any) words.Add(word.ToString());
                (word, any) = (new StringBuilder(), false);
            }
            else
                (_, any) = (word.Append(c), true);
        }
        if (any) words.Add(word.ToString());
        return [.. words];
    }

    private static string Repository => TendProcess.Repository;

    private static async Task<(int Exit, string Output)> RunAsync(string file, string folder, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
