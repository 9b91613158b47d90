namespace Tend.EndToEnd.Tests;

/// <summary>The data commands' human output in the terminal: what they print is text, never Spectre's markup.</summary>
public class DataCommandsTests
{
    [Fact]
    public async Task AddAndValidate_PrintTheirVerdicts_NotTheirMarkup()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var added = await Cli.RunAsync("data", "add", ws.HistoryCsv, "--workspace", ws.Dir);
        Assert.True(added.Exit == 0, added.ToString());
        Assert.StartsWith("Added spam@", added.Stdout);

        var passed = await Cli.RunAsync("data", "validate", ws.HistoryCsv, "--workspace", ws.Dir);
        Assert.True(passed.Exit == 0, passed.ToString());
        Assert.StartsWith("passed: ", passed.Stdout);

        var lines = File.ReadAllLines(ws.HistoryCsv);
        lines[1] = "oops" + lines[1][lines[1].IndexOf(',')..]; // a text where the first column holds numbers
        var bad = Path.Combine(ws.Dir, "bad.csv");
        File.WriteAllLines(bad, lines);
        var failed = await Cli.RunAsync("data", "validate", bad, "--workspace", ws.Dir);
        Assert.Equal(3, failed.Exit);
        Assert.StartsWith("failed: ", failed.Stdout);
        var rejected = await Cli.RunAsync("data", "add", bad, "--workspace", ws.Dir);
        Assert.StartsWith("Rejected, nothing stored: spam@", rejected.Stdout);

        foreach (var output in new[] { added, passed, failed, rejected })
            Assert.DoesNotMatch(@"\[/?(red|green|yellow|bold)\]", output.Stdout);
    }

    [Fact]
    public async Task TrainingBeforeAnyData_SaysHowToAddTheFirst()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();

        var train = await Cli.RunAsync("train", "--workspace", ws.Dir);

        Assert.Equal(5, train.Exit);
        Assert.Contains("dataset 'spam' has no versions yet; 'tend data add FILE' adds the first", train.Stderr);
        Assert.Contains("'tend data list' shows the versions", (await Cli.RunAsync("data", "show", "spam@0123456789ab", "--workspace", ws.Dir)).Stderr);
    }
}
