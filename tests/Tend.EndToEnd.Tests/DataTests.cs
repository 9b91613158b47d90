namespace Tend.EndToEnd.Tests;

public class DataTests
{
    [Fact]
    public async Task DataAdd_GivesTheVersion_AndTheSameContentAgainStoresNothingNew()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var first = await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        Assert.Equal("spam", first.GetProperty("dataset").GetString());
        Assert.Equal(3000, first.GetProperty("rows").GetInt32());
        Assert.Equal(58, first.GetProperty("columns").GetInt32());
        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.Equal(64, first.GetProperty("version").GetString()!.Length);

        var copy = Path.Combine(ws.Dir, "copy.csv");
        File.WriteAllText(copy, File.ReadAllText(ws.HistoryCsv).Replace("\n", "\r\n"));
        var second = await Cli.JsonAsync(ws.Dir, "data", "add", copy);
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(first.GetProperty("version").GetString(), second.GetProperty("version").GetString());
        Assert.Single(Directory.GetDirectories(Path.Combine(ws.Dir, ".tend", "artifacts", "datasets")));

        var list = await Cli.JsonAsync(ws.Dir, "data", "list");
        Assert.Equal(1, list.GetProperty("datasets").GetArrayLength());
        var show = await Cli.JsonAsync(ws.Dir, "data", "show", $"spam@{first.GetProperty("version").GetString()![..10]}");
        var capitalAve = show.GetProperty("profile").GetProperty("columns").EnumerateArray().First(c => c.GetProperty("name").GetString() == "capitalAve");
        Assert.Equal("numeric", capitalAve.GetProperty("type").GetString());
        Assert.Equal(0, capitalAve.GetProperty("missing").GetInt32());
    }

    [Fact]
    public async Task DataAdd_MissingFile_Exits5_AndStoresNothing()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var result = await Cli.RunAsync("data", "add", Path.Combine(ws.Dir, "nope.csv"), "--workspace", ws.Dir);
        Assert.Equal(5, result.Exit);
        Assert.Contains("nope.csv: no such file", result.Stderr);
        Assert.Equal(0, (await Cli.JsonAsync(ws.Dir, "data", "list")).GetProperty("datasets").GetArrayLength());
    }

    [Fact]
    public async Task DataAdd_RaggedRow_Exits3_NamingTheLine_AndStoresNothing()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var lines = File.ReadAllLines(ws.HistoryCsv);
        lines[41] = string.Join(',', lines[41].Split(',').SkipLast(2));
        var ragged = Path.Combine(ws.Dir, "ragged.csv");
        File.WriteAllLines(ragged, lines);
        var result = await Cli.RunAsync("data", "add", ragged, "--workspace", ws.Dir, "--json");
        Assert.Equal(3, result.Exit);
        Assert.Contains("ragged.csv:42: expected 58 fields as in the header, found 56", result.Stderr);
        Assert.Equal("InvalidData", result.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, (await Cli.JsonAsync(ws.Dir, "data", "list")).GetProperty("datasets").GetArrayLength());
        Assert.False(Directory.Exists(Path.Combine(ws.Dir, ".tend", "artifacts", "datasets")));
    }

    /// <summary>The human output in the terminal: what the data commands print is text, never Spectre's markup.</summary>
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
