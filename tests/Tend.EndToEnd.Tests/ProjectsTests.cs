using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Domain;
using Tend.Core.Spec;
using Tend.Data.Tabular;
using Tend.Data.Versions;
using Tend.Pipelines;
using Tend.Pipelines.Composition;
using Tend.Pipelines.Stages;
using Tend.Registry;
using Tend.Server;
using Tend.Storage.Sql;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>Projects in the store: each tend.yaml revision recorded and audited; one server serving every project of its store.</summary>
public sealed class ProjectsTests
{
    private static async Task<JsonElement> AuditAsync(string dir) => (await Cli.JsonAsync(dir, "audit", "--subject", "project:spam")).GetProperty("events");

    [Fact]
    public async Task EachRevision_IsStoredOnce_AndAChange_IsAuditedWithTheKeysThatChanged()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var path = Path.Combine(ws.Dir, SpecLoader.FileName);
        var first = await File.ReadAllTextAsync(path);

        var listed = (await Cli.JsonAsync(ws.Dir, "projects", "list")).GetProperty("projects");
        Assert.Equal("spam", Assert.Single(listed.EnumerateArray()).GetProperty("current").GetProperty("project").GetString());
        Assert.Equal(ProjectRevision.RevisionOf(first), listed[0].GetProperty("current").GetProperty("revision").GetString());
        await Cli.JsonAsync(ws.Dir, "projects", "list"); // the same text: nothing new
        Assert.Equal(["project.register"], (await AuditAsync(ws.Dir)).EnumerateArray().Select(e => e.GetProperty("action").GetString()));

        await File.AppendAllTextAsync(path, "gates:\n  - metric: accuracy\n    min: 0.6\n");
        await Cli.JsonAsync(ws.Dir, "projects", "list");
        var revise = (await AuditAsync(ws.Dir)).EnumerateArray().Last();
        Assert.Equal(("project.revise", "changed: gates"), (revise.GetProperty("action").GetString(), revise.GetProperty("reason").GetString()));
        Assert.Equal(first, revise.GetProperty("before").GetString());
        Assert.EndsWith("min: 0.6\n", revise.GetProperty("after").GetString());

        await File.WriteAllTextAsync(path, first); // back to the first text: the first revision again, audited, stored once
        var current = (await Cli.JsonAsync(ws.Dir, "projects", "list")).GetProperty("projects")[0].GetProperty("current");
        Assert.Equal(ProjectRevision.RevisionOf(first), current.GetProperty("revision").GetString());
        Assert.Equal(3, (await AuditAsync(ws.Dir)).GetArrayLength());
        Assert.Equal(2, (await Cli.JsonAsync(ws.Dir, "projects", "history", "spam")).GetProperty("revisions").GetArrayLength());
        Assert.True((await Cli.JsonAsync(ws.Dir, "audit", "verify")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task AStoreAnOlderTendWrote_KeepsWorking_AndItsProjectIsRegisteredOnFirstOpen()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var db = Path.Combine(ws.Dir, TendOptions.StateFolder, "tend.db");
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        await (await SqlMetadataStore.OpenAsync($"sqlite://{db}", CancellationToken.None)).DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE projects; DROP TABLE project_revisions; DELETE FROM schema_migrations WHERE version = 7"; // as schema 6 left it
            await command.ExecuteNonQueryAsync();
        }

        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var project = Assert.Single((await Cli.JsonAsync(ws.Dir, "projects", "list")).GetProperty("projects").EnumerateArray());
        Assert.Equal(ws.Dir, project.GetProperty("current").GetProperty("folder").GetString());
        Assert.Equal("project.register", Assert.Single((await AuditAsync(ws.Dir)).EnumerateArray()).GetProperty("action").GetString());
    }

    [PostgresFact]
    public async Task AServerOnAPostgresStoreWithThreeProjects_ServesEachAndListsThem()
    {
        var root = Directory.CreateTempSubdirectory("tend-projects-").FullName;
        var options = new TendOptions(await PostgresServer.FreshSchemaAsync(), $"file://{Path.Combine(root, "artifacts")}");
        var spam = CsvReader.ReadFile(TestWorkspace.SpamCsv);
        var penguins = CsvReader.ReadFile(PenguinProject.Csv);
        var projects = new (string Name, MlTask Task, string Label, string? Positive, double Bar, Table Data)[]
        {
            ("spam", MlTask.Binary, "type", "spam", 0.9, spam),
            ("species", MlTask.Multiclass, "species", null, 0.7, penguins),
            ("mass", MlTask.Regression, "body_mass_g", null, 0.5, penguins),
        };
        var workspaces = new List<Workspace>();
        try
        {
            foreach (var p in projects)
                workspaces.Add(await WithChampionAsync(Path.Combine(root, p.Name), options, SpecWriter.Render(p.Name, p.Task, p.Label, p.Positive, p.Bar), p.Data));
            var (app, url) = await TendServer.StartAsync(workspaces[0], "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                foreach (var p in projects)
                {
                    var response = await http.PostAsync($"/v1/models/{p.Name}/predict", new StringContent(FeatureJson.Of(p.Data, 0, p.Label), Encoding.UTF8, "application/json"));
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, body);
                    var answer = JsonDocument.Parse(body).RootElement;
                    Assert.Equal((p.Name, 1), (answer.GetProperty("model").GetString(), answer.GetProperty("version").GetInt32()));
                }
                var listed = JsonDocument.Parse(await http.GetStringAsync("/api/v1/projects")).RootElement;
                Assert.Equal(["mass", "spam", "species"], listed.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
                var overview = await http.GetStringAsync("/");
                Assert.All(projects, p => Assert.Contains($"data-testid=\"project-name\">{p.Name}", overview, StringComparison.Ordinal));
            }
        }
        finally
        {
            foreach (var ws in workspaces)
                await ws.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A project folder on the shared backends, with version 1 trained, evaluated and promoted to champion.</summary>
    private static async Task<Workspace> WithChampionAsync(string dir, TendOptions options, string spec, Table data)
    {
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, SpecLoader.FileName), spec);
        var ws = await Workspace.OpenAsync(dir, options, CancellationToken.None);
        await using var services = new ServiceCollection().AddTend(ws).BuildServiceProvider();
        var ct = CancellationToken.None;
        await services.GetRequiredService<DatasetCatalog>().AddAsync(ws.Spec.Name, data, "test data", ws.Actor, ct);
        var run = await TrainStage.RunAsync(ws, null, ct);
        var registry = services.GetRequiredService<ModelRegistry>();
        var version = await registry.RegisterAsync(run, ws.Actor, ct);
        await EvaluateStage.RunAsync(ws, $"{ws.Spec.Name}@{version.Version}", null, ct);
        await registry.PromoteAsync(ws.Spec.Name, version.Version, ModelRegistry.Champion, "first", ws.Actor, ct);
        return ws;
    }
}
