using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tend.Core.Domain;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>
/// A stored file is removed only when nothing refers to it (issue 21, item 3): a run's artifacts are the files it
/// uploaded; deleting a run keeps every file a dataset version, model version, evaluation or other run refers to; adding
/// a version whose files are missing puts them back.
/// </summary>
public sealed class ArtifactOwnershipTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    [Fact]
    public async Task ARunCannotBePointedAtAStoredFile_OverTheApi()
    {
        await _ws.InitAsync();
        var dataset = await Cli.JsonAsync(_ws.Dir, "data", "add", _ws.HistoryCsv);
        await using var workspace = await Workspace.OpenAsync(_ws.Dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            var run = JsonDocument.Parse(await (await http.PostAsJsonAsync("/api/v1/runs", new { project = "spam" })).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
            var file = $"datasets/{dataset.GetProperty("version").GetString()}/data.parquet";

            var response = await http.PostAsJsonAsync($"/api/v1/runs/{run}/log", new { artifacts = new Dictionary<string, string> { ["data"] = file } });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("artifacts", problem.GetProperty("field").GetString());
            Assert.Contains("artifacts are uploaded (PUT /api/v1/runs/", problem.GetProperty("detail").GetString());
        }
    }

    /// <summary>A store an earlier build wrote, where a run's artifacts could name any stored file: deleting the run keeps each owner's file.</summary>
    [Fact]
    public async Task DeletingARun_KeepsTheFilesOfDatasetVersionsModelVersionsEvaluationsAndOtherRuns()
    {
        var registered = await _ws.WithChampionAsync();
        var dataset = (await Cli.JsonAsync(_ws.Dir, "data", "list")).GetProperty("datasets")[0];
        var evaluation = (await Cli.JsonAsync(_ws.Dir, "runs", "show", registered)).GetProperty("artifacts");
        string owned;
        await using (var ws = await Workspace.OpenAsync(_ws.Dir, CancellationToken.None))
        {
            var version = (await ws.Store.Datasets.ListAsync(CancellationToken.None)).Single();
            var model = (await ws.Store.Models.ListAsync(CancellationToken.None)).Single();
            var report = (await ws.Store.Evaluations.ListAsync(registered, CancellationToken.None)).Single().Report;
            owned = string.Join(",", version.Artifact, version.ProfileArtifact, model.Artifact, report, evaluation.GetProperty("prediction_profile").GetString());
            var files = owned.Split(',').Select((f, i) => (f, i)).ToDictionary(x => $"a{x.i}", x => x.f);
            await ws.Store.Runs.SaveAsync(Run.Start("spam", "", new Dictionary<string, string>(), new Dictionary<string, string>()).End(RunStatus.Finished) with { Artifacts = files }, null, CancellationToken.None);
        }
        var stray = (await Cli.JsonAsync(_ws.Dir, "runs", "list")).GetProperty("runs").EnumerateArray().First(r => r.GetProperty("id").GetString() != registered).GetProperty("id").GetString()!;

        var deleted = await Cli.JsonAsync(_ws.Dir, "runs", "delete", stray);

        Assert.Empty(deleted.GetProperty("artifacts_deleted").EnumerateArray());
        Assert.Equal(owned.Split(',').Order(), deleted.GetProperty("artifacts_kept").EnumerateArray().Select(a => a.GetString()).Order());
        foreach (var file in owned.Split(','))
            Assert.True(File.Exists(Path.Combine(_ws.Dir, ".tend", "artifacts", file)), file);
        await Cli.JsonAsync(_ws.Dir, "train", "--data", dataset.GetProperty("dataset").GetString() + "@" + dataset.GetProperty("version").GetString()![..12]);
    }

    [Fact]
    public async Task AddingAVersionWhoseFilesAreMissing_RestoresThem()
    {
        await _ws.InitAsync();
        var added = await Cli.JsonAsync(_ws.Dir, "data", "add", _ws.HistoryCsv);
        var folder = Path.Combine(_ws.Dir, ".tend", "artifacts", "datasets", added.GetProperty("version").GetString()!);
        var data = File.ReadAllBytes(Path.Combine(folder, "data.parquet"));
        Directory.Delete(folder, recursive: true);

        var again = await Cli.JsonAsync(_ws.Dir, "data", "add", _ws.HistoryCsv);
        var still = await Cli.JsonAsync(_ws.Dir, "data", "add", _ws.HistoryCsv);

        Assert.Equal((false, true), (again.GetProperty("created").GetBoolean(), again.GetProperty("restored").GetBoolean()));
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(folder, "data.parquet")));
        Assert.True(File.Exists(Path.Combine(folder, "profile.json")));
        Assert.False(still.GetProperty("restored").GetBoolean());
        await Cli.JsonAsync(_ws.Dir, "train");
    }

    public void Dispose() => _ws.Dispose();
}
