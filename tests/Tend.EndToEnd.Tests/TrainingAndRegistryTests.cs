using Tend.Pipelines;
using Tend.Server;
namespace Tend.EndToEnd.Tests;

public class TrainingAndRegistryTests
{
    [Fact]
    public async Task Trainers_ListsEveryTrainerWithDefaultsAndSearchSpace()
    {
        var result = await Cli.RunAsync("trainers", "--json");
        Assert.True(result.Exit == 0, result.ToString());
        var trainers = result.Json.GetProperty("trainers").EnumerateArray().ToList();
        Assert.Equal(14, trainers.Count);
        var fastTree = trainers.Single(t => t.GetProperty("task").GetString() == "binary" && t.GetProperty("name").GetString() == "fasttree");
        Assert.Equal(100, fastTree.GetProperty("defaults").GetProperty("number_of_trees").GetDouble()); // ML.NET's default
        Assert.Equal(4, fastTree.GetProperty("search_space").GetArrayLength());
        Assert.True(trainers.Single(t => t.GetProperty("name").GetString() == "poisson").GetProperty("non_negative_labels").GetBoolean());
        // The default trainer's tree settings, and its rounds left to early stopping: "auto", not ML.NET's 100 it never uses.
        var lightGbm = trainers.First(t => t.GetProperty("name").GetString() == "lightgbm").GetProperty("defaults");
        Assert.Equal((31, 0.1, 20), (lightGbm.GetProperty("number_of_leaves").GetDouble(), lightGbm.GetProperty("learning_rate").GetDouble(), lightGbm.GetProperty("minimum_example_count_per_leaf").GetDouble()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lightGbm.GetProperty("number_of_iterations").ValueKind);
    }

    [Fact]
    public async Task RunsCompare_ShowsWhatDiffers_AndSpreadOverSeeds()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        var original = File.ReadAllText(yaml);
        var runs = new List<string>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            File.WriteAllText(yaml, original.Replace("seed: 42", $"seed: {seed}"));
            runs.Add((await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);
        }
        File.WriteAllText(yaml, original.Replace("trainers: [lightgbm]", "trainers: [fasttree]\n  params:\n    fasttree:\n      number_of_trees: 100"));
        runs.Add((await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);

        var all = await Cli.JsonAsync(ws.Dir, ["runs", "compare", .. runs.Select(r => r[..8])]);
        var diff = await Cli.JsonAsync(ws.Dir, ["runs", "compare", .. runs, "--diff-only"]);
        string[] Names(System.Text.Json.JsonElement c) => c.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();
        Assert.Contains("label", Names(all));
        Assert.DoesNotContain("label", Names(diff));
        Assert.Contains("seed", Names(diff));
        Assert.Contains("trainer", Names(diff));
        Assert.All(diff.GetProperty("rows").EnumerateArray(), r => Assert.True(r.GetProperty("differs").GetBoolean()));

        // The three lightgbm runs differ only by seed: their AUC's mean and sample standard deviation.
        var group = Assert.Single(all.GetProperty("seed_groups").EnumerateArray());
        Assert.Equal(runs.Take(3), group.GetProperty("runs").EnumerateArray().Select(r => r.GetString()));
        var aucs = new List<double>();
        foreach (var id in runs.Take(3))
            aucs.Add((await Cli.JsonAsync(ws.Dir, "runs", "show", id)).GetProperty("metrics").GetProperty("auc").GetDouble());
        var spread = group.GetProperty("metrics").GetProperty("auc");
        var mean = aucs.Average();
        Assert.Equal(mean, spread.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(aucs.Sum(a => (a - mean) * (a - mean)) / 2), spread.GetProperty("std").GetDouble(), 12);

        // The same over HTTP; too few ids is a 400.
        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            var response = await http.GetAsync($"/api/v1/runs/compare?ids={string.Join(',', runs)}&diff_only=true");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var rows = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("rows");
            Assert.Equal(Names(diff), rows.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray());
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync($"/api/v1/runs/compare?ids={runs[0]}")).StatusCode);
        }
    }

    [Fact]
    public async Task RunsDelete_RemovesArtifactsNothingElseUses_AndKeepsRegisteredRuns()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var first = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        var second = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        var artifacts = Path.Combine(ws.Dir, ".tend", "artifacts");
        string[] Files(string folder) => Directory.Exists(Path.Combine(artifacts, folder)) ? Directory.GetFiles(Path.Combine(artifacts, folder)) : [];
        // The same data and seed give the same predictions: both runs share one content-addressed prediction profile.
        Assert.Single(Files("profiles"));

        var deleted = await Cli.JsonAsync(ws.Dir, "runs", "delete", first);
        Assert.Contains(deleted.GetProperty("artifacts_kept").EnumerateArray(), p => p.GetString()!.StartsWith("profiles/"));
        Assert.Single(Files("profiles"));
        var runs = (await Cli.JsonAsync(ws.Dir, "runs", "list")).GetProperty("runs");
        Assert.Equal([second], runs.EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        await Cli.JsonAsync(ws.Dir, "models", "register", second);
        var refused = await Cli.RunAsync("runs", "delete", second, "--workspace", ws.Dir);
        Assert.Equal(6, refused.Exit);
        Assert.Contains("is registered as spam v1", refused.Stderr);

        var third = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        await using (var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                Assert.Equal(System.Net.HttpStatusCode.Conflict, (await http.DeleteAsync($"/api/v1/runs/{second}")).StatusCode);
                Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.DeleteAsync("/api/v1/runs/ffffffff")).StatusCode);
                var response = await http.DeleteAsync($"/api/v1/runs/{third}");
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            }
        }
        // No orphan and nothing missing: the files left are exactly those the remaining runs and model versions name.
        // (Two trainings can write byte-identical model zips and so share a file; which ones do depends on timing.)
        var named = new HashSet<string>();
        foreach (var run in (await Cli.JsonAsync(ws.Dir, "runs", "list")).GetProperty("runs").EnumerateArray())
            foreach (var artifact in run.GetProperty("artifacts").EnumerateObject())
                named.Add(artifact.Value.GetString()!);
        foreach (var model in (await Cli.JsonAsync(ws.Dir, "models", "list")).GetProperty("models").EnumerateArray())
            named.Add(model.GetProperty("artifact").GetString()!);
        var stored = Files("models").Concat(Files("profiles")).Select(f => Path.GetRelativePath(artifacts, f).Replace('\\', '/')).ToHashSet();
        Assert.Equal(named.Order(), stored.Order());
        Assert.Equal(5, (await Cli.RunAsync("runs", "show", first, "--workspace", ws.Dir)).Exit);
    }

    [Fact]
    public async Task Train_TracksTheRun_AndEvaluateChecksTheBar()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var train = await Cli.JsonAsync(ws.Dir, "train");
        var runId = train.GetProperty("run_id").GetString()!;
        var auc = train.GetProperty("metrics").GetProperty("auc").GetDouble();
        Assert.InRange(auc, 0.95, 1.0);
        foreach (var metric in new[] { "accuracy", "precision", "recall", "f1", "log_loss" })
            Assert.True(train.GetProperty("metrics").TryGetProperty(metric, out _), metric);

        var run = await Cli.JsonAsync(ws.Dir, "runs", "show", runId[..8]);
        Assert.Equal("finished", run.GetProperty("status").GetString());
        Assert.Equal("600", run.GetProperty("params").GetProperty("test_rows").GetString());
        Assert.StartsWith("models/", run.GetProperty("artifacts").GetProperty("model").GetString());
        Assert.StartsWith(".NET 10", run.GetProperty("environment").GetProperty("dotnet").GetString());
        Assert.StartsWith("spam@", run.GetProperty("dataset").GetString());

        var evaluation = await Cli.JsonAsync(ws.Dir, "evaluate", runId);
        Assert.True(evaluation.GetProperty("passed").GetBoolean());
        Assert.Equal(auc, evaluation.GetProperty("metrics").GetProperty("auc").GetDouble(), 12);

        var spec = Path.Combine(ws.Dir, "tend.yaml");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("bar: 0.75", "bar: 0.999"));
        var failed = await Cli.RunAsync("evaluate", runId, "--workspace", ws.Dir, "--json");
        Assert.Equal(4, failed.Exit);
        Assert.False(failed.Json.GetProperty("passed").GetBoolean());
        Assert.Contains("is below the bar 0.999", failed.Stderr);
    }

    [Fact]
    public async Task Train_TwiceOnTheSameData_GivesTheSameMetrics()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var first = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("metrics").ToString();
        var second = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("metrics").ToString();
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Register_Promote_Show_AndEveryChangeIsAudited()
    {
        using var ws = new TestWorkspace();
        var runId = await ws.WithChampionAsync();
        var champion = await Cli.JsonAsync(ws.Dir, "models", "show", "spam@champion");
        Assert.Equal(1, champion.GetProperty("version").GetInt32());
        Assert.Equal(runId, champion.GetProperty("run_id").GetString());
        Assert.Equal(64, champion.GetProperty("checksum").GetString()!.Length);

        var unknown = await Cli.RunAsync("models", "promote", "spam", "9", "--reason", "x", "--workspace", ws.Dir);
        Assert.Equal(5, unknown.Exit);

        Assert.True((await Cli.JsonAsync(ws.Dir, "audit", "verify")).GetProperty("intact").GetBoolean());
        var audit = await Cli.JsonAsync(ws.Dir, "audit");
        var actions = audit.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["project.register", "dataset.add", "run.finished", "model.register", "evaluation.add", "model.alias"], actions);
        var alias = audit.GetProperty("events")[5];
        Assert.Equal("champion set to 1: first", alias.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(alias.GetProperty("actor").GetString()));
    }
}
