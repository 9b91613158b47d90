using System.Diagnostics;
using Tend.Data.Tabular;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// docs/ci/check.sh, the pull-request check docs/ci.md describes, run as a CI job would: on a scratch copy of a project
/// with a champion, with the real tend. Its exit code is the verdict and the evaluation is Markdown for the pull
/// request; the project's own store gains nothing.
/// </summary>
public sealed class CiRecipeTests
{
    private static readonly string Script = Path.Combine(TendProcess.Repository, "docs", "ci", "check.sh");

    private static async Task<(int Exit, string Output)> CheckAsync(string folder, string data)
    {
        var start = new ProcessStartInfo(Script) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(data);
        start.ArgumentList.Add("evaluation.md");
        start.Environment["TEND"] = $"dotnet {TendProcess.Dll}";
        using var check = Process.Start(start)!;
        var errors = check.StandardError.ReadToEndAsync();
        var output = await check.StandardOutput.ReadToEndAsync();
        await check.WaitForExitAsync();
        return (check.ExitCode, output + await errors);
    }

    /// <summary>The CI job's checkout with the main branch's store restored: a copy of the project folder, .tend/ and all.</summary>
    private static string ScratchCopy(TestWorkspace ws)
    {
        var copy = Directory.CreateTempSubdirectory("tend-ci-").FullName;
        foreach (var file in Directory.EnumerateFiles(ws.Dir, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(ws.Dir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return copy;
    }

    [Fact]
    public async Task ThePullRequestCheck_GatesByItsExitCode_WritesMarkdown_AndLeavesTheTeamsStoreAlone()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var datasets = (await Cli.JsonAsync(ws.Dir, "data", "list")).GetProperty("datasets").GetArrayLength();
        var rest = ws.Write("new.csv", new Table(ws.Rest.Columns, [.. ws.History.Rows, .. ws.Rest.Rows.Take(1000)]));

        var copy = ScratchCopy(ws);
        try
        {
            File.Copy(rest, Path.Combine(copy, "new.csv"), overwrite: true);
            var passed = await CheckAsync(copy, "new.csv");
            Assert.True(passed.Exit == 0, passed.Output);
            var markdown = File.ReadAllText(Path.Combine(copy, "evaluation.md"));
            Assert.StartsWith("# ", markdown);
            Assert.Contains("champion", markdown, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("f1", markdown);

            // Invalid data: the label column missing. Exit 3 before anything is trained.
            File.WriteAllLines(Path.Combine(copy, "broken.csv"), ["text", "hello there"]);
            var invalid = await CheckAsync(copy, "broken.csv");
            Assert.True(invalid.Exit == 3, invalid.Output);

            // A bar no model meets: the gate fails, exit 4, and the Markdown still says why.
            File.Delete(Path.Combine(copy, "evaluation.md"));
            var yaml = Path.Combine(copy, "tend.yaml");
            File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("bar: 0.75", "bar: 0.9999"));
            var gated = await CheckAsync(copy, "new.csv");
            Assert.True(gated.Exit == 4, gated.Output);
            Assert.Contains("0.9999", File.ReadAllText(Path.Combine(copy, "evaluation.md")));

            // A tend.yaml mistake: exit 2, naming the line.
            File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("task: binary", "task: binery"));
            var mistaken = await CheckAsync(copy, "new.csv");
            Assert.Equal(2, mistaken.Exit);
            Assert.Matches(@"tend\.yaml:\d+: 'task' must be one of", mistaken.Output);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
        Assert.Equal(datasets, (await Cli.JsonAsync(ws.Dir, "data", "list")).GetProperty("datasets").GetArrayLength()); // the team's store gained nothing
    }
}
