namespace Tend.EndToEnd.Tests;

/// <summary>
/// Tend's own stages as steps of a declared pipeline: collect → validate → train → evaluate → gate → register →
/// promote → card, each reading what the steps before it made (a command too, through TEND_IN_*); run again with nothing changed, the data and the
/// training are reused, and the evaluation runs again because the champion it is compared with changed.
/// </summary>
public sealed class BuiltInStepsTests
{
    private const string Pipeline = """

        data:
          sources:
            - name: history
              path: history.csv
        pipelines:
          - name: retrain
            steps:
              - name: collect
                collect: history
              - name: check
                needs: [collect]
                validate: true
              - name: fit
                needs: [check]
                train: true
              - name: note
                needs: [fit]
                command: mkdir -p build && echo "$TEND_IN_DATASET $TEND_IN_RUN" > build/trained.txt
                outputs: [build/trained.txt]
              - name: judge
                needs: [fit]
                evaluate: true
              - name: gate
                needs: [judge]
                gate: true
              - name: register
                needs: [gate]
                register: true
              - name: promote
                needs: [register]
                promote: true
              - name: card
                needs: [promote]
                card: build/card.md
        """;

    private static Dictionary<string, System.Text.Json.JsonElement> Steps(System.Text.Json.JsonElement run) =>
        run.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);

    [Fact]
    public async Task BuiltInStages_RunAsSteps_HandingOnWhatTheyMade_AndAreReusedWhenNothingChanged()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), Pipeline);

        var first = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "retrain");
        Assert.Equal("succeeded", first.GetProperty("state").GetString());
        var steps = Steps(first);
        var dataset = steps["collect"].GetProperty("outputs").GetProperty("dataset").GetString()!;
        Assert.StartsWith("spam@", dataset);
        var run = steps["fit"].GetProperty("outputs").GetProperty("run").GetString()!;
        Assert.Equal(dataset, steps["fit"].GetProperty("outputs").GetProperty("dataset").GetString());
        Assert.Equal(run, steps["judge"].GetProperty("outputs").GetProperty("run").GetString());
        Assert.Equal("1", steps["register"].GetProperty("outputs").GetProperty("model_version").GetString());
        Assert.StartsWith("v1 is now champion: first model to pass the gates", steps["promote"].GetProperty("message").GetString());
        Assert.Contains("spam@1", File.ReadAllText(Path.Combine(ws.Dir, "build", "card.md")));
        Assert.Equal($"{dataset} {run}", File.ReadAllText(Path.Combine(ws.Dir, "build", "trained.txt")).Trim()); // a command is given what the steps before it made
        var outputs = first.GetProperty("outputs");
        Assert.Equal(("1", run, "true"), (outputs.GetProperty("model_version").GetString(), outputs.GetProperty("run").GetString(), outputs.GetProperty("promoted").GetString()));
        var trained = await Cli.JsonAsync(ws.Dir, "runs", "show", run);
        Assert.Equal(dataset, trained.GetProperty("dataset").GetString()); // the run trained on what collect made

        var lineage = await Cli.JsonAsync(ws.Dir, "lineage", "spam@1");
        var made = Assert.Single(lineage.GetProperty("pipelines").EnumerateArray());
        Assert.Equal((first.GetProperty("id").GetString(), "retrain", "manual"), (made.GetProperty("id").GetString(), made.GetProperty("pipeline").GetString(), made.GetProperty("trigger").GetString()));
        Assert.Equal((dataset, run, "1"), (made.GetProperty("made").GetProperty("collect.dataset").GetString(), made.GetProperty("made").GetProperty("fit.run").GetString(),
            made.GetProperty("made").GetProperty("register.model_version").GetString()));

        var second = Steps(await Cli.JsonAsync(ws.Dir, "pipeline", "run", "retrain"));
        Assert.True(second["collect"].GetProperty("cached").GetBoolean());
        Assert.True(second["fit"].GetProperty("cached").GetBoolean());
        Assert.True(second["note"].GetProperty("cached").GetBoolean()); // what it was given did not change
        Assert.Equal(run, second["fit"].GetProperty("outputs").GetProperty("run").GetString()); // the same run, not trained again
        Assert.False(second["check"].GetProperty("cached").GetBoolean()); // validate's cache is off by default
        Assert.False(second["judge"].GetProperty("cached").GetBoolean());
        Assert.Equal("input 'champion': none → 1", Assert.Single(second["judge"].GetProperty("changed").EnumerateArray()).GetString());
        Assert.Equal("1", second["register"].GetProperty("outputs").GetProperty("model_version").GetString()); // the same run: the same version
        Assert.Equal($"run {run[..8]} is registered already, as spam@1", second["register"].GetProperty("message").GetString());
        Assert.Equal("v1 is champion already", second["promote"].GetProperty("message").GetString());
    }

    /// <summary>A cached stage whose run was deleted since is not reused: the step runs again.</summary>
    [Fact]
    public async Task ACachedTraining_WhoseRunWasDeleted_TrainsAgain()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), """

            data:
              sources:
                - name: history
                  path: history.csv
            pipelines:
              - name: fit
                steps:
                  - {name: collect, collect: history}
                  - {name: fit, needs: [collect], train: true}
            """);
        var first = Steps(await Cli.JsonAsync(ws.Dir, "pipeline", "run", "fit"))["fit"].GetProperty("outputs").GetProperty("run").GetString()!;
        Assert.True(Steps(await Cli.JsonAsync(ws.Dir, "pipeline", "run", "fit"))["fit"].GetProperty("cached").GetBoolean());
        await Cli.JsonAsync(ws.Dir, "runs", "delete", first);
        var again = Steps(await Cli.JsonAsync(ws.Dir, "pipeline", "run", "fit"))["fit"];
        Assert.False(again.GetProperty("cached").GetBoolean());
        Assert.NotEqual(first, again.GetProperty("outputs").GetProperty("run").GetString());
    }

    [Theory]
    [InlineData("train: gradient_magic", "'train' of step 'a' must be true or one of train.trainers")]
    [InlineData("deploy: canary 150", "'deploy' of step 'a' must be 'canary PERCENT' (above 0, below 100) or 'shadow'; got 'canary 150'")]
    [InlineData("collect: nosuch", "'collect' of step 'a' names source 'nosuch', which is not under data.sources")]
    [InlineData("gate: yes please", "'gate' of step 'a' must be true; got 'yes please'")]
    [InlineData("card: /etc/card.md", "'/etc/card.md' under 'card' must be a path inside the project folder")]
    [InlineData("evaluate: true\n        command: echo", "step 'a' needs exactly one of: command, collect, ingest")]
    public async Task AWrongStage_IsALoadError_NamingTheLine(string stage, string expected)
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), $"""

            pipelines:
              - name: p
                steps:
                  - name: a
                    {stage}
            """);
        var result = await Cli.RunAsync("pipeline", "run", "p", "--workspace", ws.Dir);
        Assert.Equal(2, result.Exit);
        Assert.Matches(@"tend\.yaml:\d+: ", result.Stderr);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public async Task AStageWithoutWhatItReads_SaysWhichStepToNeed()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        File.AppendAllText(Path.Combine(ws.Dir, "tend.yaml"), """

            pipelines:
              - name: p
                steps:
                  - name: judge
                    evaluate: true
            """);
        var result = await Cli.RunAsync("pipeline", "run", "p", "--workspace", ws.Dir);
        Assert.Equal(2, result.Exit);
        Assert.Contains("step 'judge' (evaluate) needs a run: list a step that makes one under its 'needs'", result.Stderr);
    }
}
