using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tend.Data.Tabular;

namespace Tend.EndToEnd.Tests;

public class PipelineTests
{
    [Fact]
    public async Task Pipeline_FirstRun_RegistersAndPromotes_SecondComparesWithTheChampion()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var first = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "--data", ws.HistoryCsv);
        Assert.True(first.GetProperty("succeeded").GetBoolean(), first.ToString());
        Assert.Equal(["ingest", "validate", "train", "evaluate", "gate", "register", "promote"],
            first.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("true", first.GetProperty("outputs").GetProperty("promoted").GetString());
        var train = first.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "train");
        Assert.True(train.GetProperty("seconds").GetDouble() > 0.01, train.ToString()); // the step's own time, not the time to start it

        var all = ws.Write("all.csv", ws.History.Concat(ws.Rest));
        var second = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "--data", all, "--trigger", "new_data");
        Assert.True(second.GetProperty("succeeded").GetBoolean(), second.ToString());
        var outputs = second.GetProperty("outputs");
        Assert.Equal("2", outputs.GetProperty("model_version").GetString());
        Assert.True(int.Parse(outputs.GetProperty("holdout_rows").GetString()!) > 100);
        var promoted = outputs.GetProperty("promoted").GetString() == "true";
        var champion = await Cli.JsonAsync(ws.Dir, "models", "show", "spam@champion");
        Assert.Equal(promoted ? 2 : 1, champion.GetProperty("version").GetInt32());
        // By default a new version is promoted only when the 95% interval of its gain excludes 0, and the step says so.
        Assert.Equal("significantly_better", outputs.GetProperty("promote_rule").GetString());
        var (gain, low) = Gain(second);
        Assert.Equal(low > 0, promoted);
        Assert.Contains("(promote: significantly_better)", Step(second, "promote"));

        // promote: better takes any gain.
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\npromote: better\n");
        var third = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "--data", all, "--trigger", "manual");
        Assert.Equal("better", third.GetProperty("outputs").GetProperty("promote_rule").GetString());
        Assert.Equal(Gain(third).Gain > 0, third.GetProperty("outputs").GetProperty("promoted").GetString() == "true");
        Assert.Equal(3, (await Cli.JsonAsync(ws.Dir, "pipeline", "list")).GetProperty("pipelines").GetArrayLength());
    }

    private static string Step(JsonElement pipeline, string name) =>
        pipeline.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name).GetProperty("message").GetString()!;

    /// <summary>The gain over the champion and its interval's lower bound, as the promote step reports them.</summary>
    private static (double Gain, double Low) Gain(JsonElement pipeline)
    {
        var match = Regex.Match(Step(pipeline, "promote"), @"gain (\S+), 95% interval \[(\S+), ");
        Assert.True(match.Success, Step(pipeline, "promote"));
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Pipeline_WithoutASearch_RefitsTheChampionsSearchedRecipe()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var searched = await Cli.JsonAsync(ws.Dir, "train", "--search", "4");
        var searchRun = searched.GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(ws.Dir, "models", "register", searchRun);
        await Cli.JsonAsync(ws.Dir, "evaluate", "spam@1");
        await Cli.JsonAsync(ws.Dir, "models", "promote", "spam", "1", "--reason", "the search's best");
        var recipe = (await Cli.JsonAsync(ws.Dir, "runs", "show", searchRun)).GetProperty("params");

        var pipeline = await Cli.JsonAsync(ws.Dir, "pipeline", "run");

        Assert.Contains($"the champion's recipe, {recipe.GetProperty("trainer").GetString()} as its search chose in run {searchRun[..8]}", Step(pipeline, "train"));
        var refit = (await Cli.JsonAsync(ws.Dir, "runs", "show", pipeline.GetProperty("outputs").GetProperty("run_id").GetString()!)).GetProperty("params");
        foreach (var param in recipe.EnumerateObject().Where(p => p.Name == "trainer" || p.Name.StartsWith("trainer.", StringComparison.Ordinal)))
            Assert.Equal(param.Value.GetString(), refit.GetProperty(param.Name).GetString());
    }

    [Fact]
    public async Task Pipeline_NamedSource_IsCollectedAgain_AndAppended()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        // A source named in tend.yaml, relative to the project folder: each run appends what it holds.
        ws.Write("fresh.csv", ws.Rest);
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), "\ndata:\n  sources:\n    - {name: fresh, path: fresh.csv, append: true}\n");
        var run = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "--source", "fresh", "--trigger", "new_data");
        Assert.True(run.GetProperty("succeeded").GetBoolean(), run.ToString());
        var version = await Cli.JsonAsync(ws.Dir, "data", "show", run.GetProperty("outputs").GetProperty("dataset").GetString()!);
        Assert.Equal(ws.History.Rows.Count + ws.Rest.Rows.Count, version.GetProperty("rows").GetInt32());
        Assert.Equal(ws.Rest.Rows.Count, version.GetProperty("added_rows").GetInt32());
        Assert.NotNull(version.GetProperty("parent").GetString());

        var both = await Cli.RunAsync("pipeline", "run", "--source", "fresh", "--data", ws.HistoryCsv, "--workspace", ws.Dir);
        Assert.Equal(2, both.Exit);
        var unknown = await Cli.RunAsync("pipeline", "run", "--source", "daily", "--workspace", ws.Dir);
        Assert.Contains("no source named 'daily' under data.sources in tend.yaml; named: fresh", unknown.Stderr);
    }

    [Fact]
    public async Task Pipeline_DataOfTheWrongType_StopsAtValidate_Exit3_NoNewModel()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var column = ws.History.IndexOf("capitalAve");
        var broken = ws.Write("broken.csv", new Table(ws.History.Columns, ws.History.Rows.Select((r, i) =>
        {
            var copy = (string?[])r.Clone();
            if (i == 7) copy[column] = "many";
            return copy;
        }).ToList()));
        var result = await Cli.RunAsync("pipeline", "run", "--data", broken, "--workspace", ws.Dir, "--json");
        Assert.Equal(3, result.Exit);
        var steps = result.Json.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal("failed", steps[1].GetProperty("status").GetString());
        var message = steps[1].GetProperty("message").GetString();
        Assert.Contains("type_mismatch in column 'capitalAve': 1 of ", message);
        Assert.Contains("values are not numbers (line 9: 'many')", message);
        Assert.All(steps.Skip(2), s => Assert.Equal("skipped", s.GetProperty("status").GetString()));
        Assert.Equal(1, (await Cli.JsonAsync(ws.Dir, "models", "list")).GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task Pipeline_GateFails_Exit4_NothingRegistered()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync(bar: 0.9999);
        var result = await Cli.RunAsync("pipeline", "run", "--data", ws.HistoryCsv, "--workspace", ws.Dir, "--json");
        Assert.Equal(4, result.Exit);
        Assert.Contains("gate failed: auc", result.Json.GetProperty("message").GetString());
        Assert.Equal(0, (await Cli.JsonAsync(ws.Dir, "models", "list")).GetProperty("models").GetArrayLength());
    }
}
