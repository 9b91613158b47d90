using System.Text.Json;

namespace Tend.EndToEnd.Tests;

/// <summary><c>tend train --search</c> and the run-tracking commands, end to end on the spam sample.</summary>
public class SearchAndTrackingTests
{
    private static string[] Ids(JsonElement page) => page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();

    /// <summary>A spam workspace whose tend.yaml has <paramref name="train"/> in place of its trainers line.</summary>
    private static async Task<TestWorkspace> WorkspaceAsync(string train)
    {
        var ws = new TestWorkspace();
        await ws.InitAsync();
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("trainers: [lightgbm]", train));
        return ws;
    }

    [Fact]
    public async Task Search_TracksEachTrialAsAChildRun_RefitsTheBest_AndIsReproducible()
    {
        using var ws = await WorkspaceAsync("trainers: [lightgbm, lbfgs]\n  params:\n    lightgbm:\n      number_of_iterations: 50");
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);

        var search = await Cli.JsonAsync(ws.Dir, "train", "--search", "6");
        var parent = search.GetProperty("run_id").GetString()!;
        var board = search.GetProperty("leaderboard").EnumerateArray().ToList();
        Assert.Equal(6, board.Count);
        Assert.Equal(2, search.GetProperty("rungs").GetInt32()); // 2,400 training rows: a rung on a third (≈ 530 fit rows), then all
        var best = board[0];
        Assert.Equal(best.GetProperty("trainer").GetString(), search.GetProperty("params").GetProperty("trainer").GetString());
        Assert.Equal(best.GetProperty("trial").GetInt32().ToString(), search.GetProperty("params").GetProperty("search.best_trial").GetString());
        Assert.Equal(best.GetProperty("score").GetDouble(), search.GetProperty("metrics").GetProperty("cv_auc").GetDouble());
        Assert.InRange(search.GetProperty("metrics").GetProperty("auc").GetDouble(), 0.95, 1.0); // the refit, on the holdout

        // Each trial is a finished child run; its cross-validated AUC is logged at each rung it reached (step = rung).
        var children = await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", $"parent = '{parent}'", "--order-by", "metrics.cv_auc desc");
        Assert.Equal(6, children.GetProperty("total").GetInt64());
        Assert.All(children.GetProperty("runs").EnumerateArray(), r => Assert.Equal("finished", r.GetProperty("status").GetString()));
        var promoted = board.Where(e => e.GetProperty("rung").GetInt32() == 1).Select(e => e.GetProperty("run_id").GetString()!).ToList();
        Assert.Equal(2, promoted.Count);
        var history = await Cli.JsonAsync(ws.Dir, "runs", "history", promoted[0], "cv_auc");
        Assert.Equal([0L, 1L], history.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        var missing = await Cli.RunAsync("runs", "history", promoted[0], "f1", "--workspace", ws.Dir);
        Assert.Equal(5, missing.Exit);
        Assert.Contains("has no metric 'f1'; it has: cv_auc, fit_seconds, train_rows", missing.Stderr);

        // The parent is a trained run like any other: it registers.
        await Cli.JsonAsync(ws.Dir, "models", "register", parent);

        // The same data, spec and seed: the same leaderboard.
        var again = await Cli.JsonAsync(ws.Dir, "train", "--search", "6");
        static string Scores(JsonElement s) => string.Join(";", s.GetProperty("leaderboard").EnumerateArray()
            .Select(e => $"{e.GetProperty("trial")} {e.GetProperty("trainer")} {e.GetProperty("params")} {e.GetProperty("rung")} {e.GetProperty("score")}"));
        Assert.Equal(Scores(search), Scores(again));
        Assert.Equal(search.GetProperty("metrics").ToString(), again.GetProperty("metrics").ToString());

        // Deleting a search deletes its trials; the registered one stays.
        var refused = await Cli.RunAsync("runs", "delete", parent, "--workspace", ws.Dir);
        Assert.Equal(6, refused.Exit);
        var repeat = again.GetProperty("run_id").GetString()!;
        var deleted = await Cli.JsonAsync(ws.Dir, "runs", "delete", repeat);
        Assert.Equal(6, deleted.GetProperty("child_runs").GetArrayLength());
        Assert.Equal(0, (await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", $"parent = '{repeat}'")).GetProperty("total").GetInt64());
        Assert.Equal(6, (await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", $"parent = '{parent}'")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Pipeline_WithASearchSection_TrainsBySearching()
    {
        using var ws = await WorkspaceAsync("trainers: [lightgbm]\n  search:\n    trials: 3\n    folds: 2");
        var pipeline = await Cli.JsonAsync(ws.Dir, "pipeline", "run", "--data", ws.HistoryCsv);
        Assert.True(pipeline.GetProperty("succeeded").GetBoolean(), pipeline.ToString());
        var run = await Cli.JsonAsync(ws.Dir, "runs", "show", pipeline.GetProperty("outputs").GetProperty("run_id").GetString()!);
        Assert.Equal("3", run.GetProperty("params").GetProperty("search.trials").GetString());
        Assert.Equal(3, (await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", $"parent = '{run.GetProperty("id").GetString()}'")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task RunsList_FiltersOrdersAndPages_TagsAndNotesStick()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var runs = new List<string>();
        for (var i = 0; i < 3; i++)
            runs.Add((await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);
        await Cli.JsonAsync(ws.Dir, "runs", "tag", runs[1][..8], "reviewed=yes", "owner=ana");
        await Cli.JsonAsync(ws.Dir, "runs", "note", runs[1][..8], "baseline for the spring release");

        Assert.Equal([runs[1]], Ids(await Cli.JsonAsync(ws.Dir, "runs", "list", "--where", "tags.reviewed = 'yes' and metrics.auc > 0.9")));
        Assert.Equal(runs.AsEnumerable().Reverse(), Ids(await Cli.JsonAsync(ws.Dir, "runs", "list")));
        var page = await Cli.JsonAsync(ws.Dir, "runs", "list", "--order-by", "started", "--limit", "1", "--offset", "1");
        Assert.Equal([runs[1]], Ids(page));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
        var shown = await Cli.JsonAsync(ws.Dir, "runs", "show", runs[1]);
        Assert.Equal("ana", shown.GetProperty("tags").GetProperty("owner").GetString());
        Assert.Equal("baseline for the spring release", shown.GetProperty("note").GetString());

        var bad = await Cli.RunAsync("runs", "list", "--where", "metrics.auc >> 1", "--workspace", ws.Dir);
        Assert.Equal(2, bad.Exit);
        Assert.Contains("the filter at character", bad.Stderr);
        Assert.Contains("(--where)", bad.Stderr); // the CLI names the field as its option
        var badTag = await Cli.RunAsync("runs", "tag", runs[0], "novalue", "--workspace", ws.Dir);
        Assert.Contains("a tag is KEY=VALUE, got 'novalue'", badTag.Stderr);
    }
}
