namespace Tend.EndToEnd.Tests;

public class ProblemDefinitionTests
{
    [Fact]
    public async Task Init_WithData_WritesASpecThatLoads_PickingTheRarerClassAsPositive()
    {
        using var ws = new TestWorkspace();
        var result = await Cli.RunAsync("init", ws.Dir, "--task", "binary", "--label", "type", "--data", ws.HistoryCsv, "--json");
        Assert.Equal(0, result.Exit);
        Assert.Equal("spam", result.Json.GetProperty("positive_class").GetString());
        var yaml = File.ReadAllText(Path.Combine(ws.Dir, "tend.yaml"));
        Assert.Contains("# the column to predict", yaml);
        Assert.Equal(0, (await Cli.RunAsync("data", "list", "--workspace", ws.Dir)).Exit);
    }

    [Fact]
    public async Task Init_WithDataOutsideTheProject_CopiesItIn_SoTheReadmesNextCommandsWorkAsWritten()
    {
        using var ws = new TestWorkspace(); // history.csv lies in ws.Dir; the project is a folder below it, as in the README
        var project = Path.Combine(ws.Dir, "churn");

        var init = await Cli.RunAsync("init", project, "--task", "binary", "--label", "type", "--data", ws.HistoryCsv, "--json");

        Assert.True(init.Exit == 0, init.ToString());
        var copy = Path.Combine(project, "history.csv");
        Assert.Equal(copy, init.Json.GetProperty("data").GetString());
        Assert.Equal(File.ReadAllBytes(ws.HistoryCsv), File.ReadAllBytes(copy));
        await Cli.JsonAsync(project, "data", "add", copy); // InstallTests runs it from the project's folder as 'tend data add history.csv'

        File.Delete(Path.Combine(project, "tend.yaml"));
        var clash = await Cli.RunAsync("init", project, "--task", "binary", "--label", "type", "--data", ws.HistoryCsv);
        Assert.Equal(6, clash.Exit); // the copy is there already: not copied over, and nothing written
        Assert.False(File.Exists(Path.Combine(project, "tend.yaml")));
    }

    [Fact]
    public async Task Init_Twice_IsAConflict()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var again = await Cli.RunAsync("init", ws.Dir, "--task", "binary", "--label", "type");
        Assert.Equal(6, again.Exit);
        Assert.Contains("already exists", again.Stderr);
    }

    [Fact]
    public async Task BadSpec_EveryCommandExits2_NamingKeyAndLine_AndChangesNothing()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var spec = Path.Combine(ws.Dir, "tend.yaml");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("  seed: 42", "  seed: 42\n  shuffle: yes"));
        var result = await Cli.RunAsync("data", "add", ws.HistoryCsv, "--workspace", ws.Dir);
        Assert.Equal(2, result.Exit);
        Assert.Matches(@"^error: .*tend\.yaml:\d+: unknown key 'split\.shuffle'", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.False(Directory.Exists(Path.Combine(ws.Dir, ".tend")));
    }

    [Fact]
    public async Task BadUsage_Exits2()
    {
        var result = await Cli.RunAsync("train", "--no-such-option");
        Assert.Equal(2, result.Exit);
        Assert.Contains("--no-such-option", result.Stderr);
    }
}
