using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tend.Core.Artifacts;
using Tend.Core.Domain;
using Tend.Pipelines;

namespace Tend.EndToEnd.Tests;

/// <summary><c>tend doctor</c> finds what a crash or a hand in the store left wrong, and <c>--repair</c> fixes what it safely can (issue 21, item 4).</summary>
public sealed class DoctorTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    private string Artifacts => Path.Combine(_ws.Dir, ".tend", "artifacts");

    private static Dictionary<string, JsonElement> Checks(JsonElement report) =>
        report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);

    private static List<(string Subject, string Problem, string? Repair)> Findings(JsonElement report, string check) =>
        Checks(report)[check].GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("subject").GetString()!, f.GetProperty("problem").GetString()!, f.TryGetProperty("repair", out var r) ? r.GetString() : null)).ToList();

    [Fact]
    public async Task FindsStuckRunsMissingChangedAndOrphanFilesTempLeftoversAndABrokenChain_AndRepairsWhatItSafelyCan()
    {
        var runId = await _ws.WithChampionAsync();
        var healthy = await Cli.JsonAsync(_ws.Dir, "doctor");
        Assert.True(healthy.GetProperty("healthy").GetBoolean(), healthy.ToString());

        var run = await Cli.JsonAsync(_ws.Dir, "runs", "show", runId); // before the stuck run: a look at runs would end it
        // What a kill -9 leaves: a run its dead process never ended, and its temp folder; what a hand leaves: an orphan, a changed and a missing file, an edited audit event.
        using var ended = Process.Start("true")!;
        await ended.WaitForExitAsync();
        var deadOwner = $"{Environment.MachineName}-{ended.Id}-1";
        string stuck;
        await using (var ws = await Workspace.OpenAsync(_ws.Dir, CancellationToken.None))
        {
            stuck = (await RunTracking.StartAsync(ws, new RunStart("spam"), CancellationToken.None)).Id;
            await ws.Store.Runs.BeatAsync(stuck, deadOwner, DateTimeOffset.UtcNow, CancellationToken.None);
        }
        Directory.CreateDirectory(Path.Combine(Artifacts, FileArtifactStore.TempFolderName, deadOwner));
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(Artifacts, "files")).FullName, "stray"), "nobody's");
        var profile = run.GetProperty("artifacts").GetProperty("prediction_profile").GetString()!;
        var evaluation = Directory.GetFiles(Path.Combine(Artifacts, "evaluations")).Single();
        File.AppendAllText(evaluation, " ");
        File.Delete(Path.Combine(Artifacts, profile));
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_ws.Dir, ".tend", "tend.db")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var edit = db.CreateCommand();
            edit.CommandText = "UPDATE audit_events SET reason = 'it never happened' WHERE sequence = 3";
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var found = await Cli.RunAsync("doctor", "--workspace", _ws.Dir, "--json");

        Assert.Equal(6, found.Exit);
        var report = found.Json;
        Assert.False(report.GetProperty("healthy").GetBoolean());
        Assert.Equal([($"run {stuck}", $"running, but its process ({deadOwner}) ended without ending it; last heartbeat", (string?)null)],
            Findings(report, "runs").Select(f => (f.Subject, f.Problem[..f.Problem.LastIndexOf(';')] + "; last heartbeat", f.Repair)));
        Assert.Equal([(Path.GetRelativePath(Artifacts, evaluation), "", (string?)null), (profile, "missing", null)],
            Findings(report, "files").Select(f => (f.Subject, f.Problem.StartsWith("its bytes hash to", StringComparison.Ordinal) ? "" : f.Problem, f.Repair)));
        Assert.Equal([("files/stray", "stored, but nothing refers to it", (string?)null)], Findings(report, "orphans"));
        Assert.Equal([(deadOwner, "left in the temp folder by a process that ended", "removed when the store was opened")], Findings(report, "temp"));
        Assert.Equal("audit event 3", Assert.Single(Findings(report, "audit")).Subject);
        Assert.True(File.Exists(Path.Combine(Artifacts, "files", "stray")));

        var young = await Cli.RunAsync("doctor", "--repair", "--workspace", _ws.Dir, "--json");
        Assert.Contains("kept, since it is newer than 10 minutes", Assert.Single(Findings(young.Json, "orphans")).Problem);
        Assert.True(File.Exists(Path.Combine(Artifacts, "files", "stray")));
        var repaired = await Cli.RunAsync("doctor", "--repair", "--grace", "0", "--workspace", _ws.Dir, "--json");

        Assert.Equal(6, repaired.Exit); // a missing or changed file and a broken chain cannot be repaired
        Assert.Equal("ended as killed", Assert.Single(Findings(young.Json, "runs")).Repair);
        Assert.Equal("deleted", Assert.Single(Findings(repaired.Json, "orphans")).Repair);
        Assert.False(File.Exists(Path.Combine(Artifacts, "files", "stray")));
        Assert.Equal("killed", (await Cli.JsonAsync(_ws.Dir, "runs", "show", stuck)).GetProperty("status").GetString());
        Assert.Empty(Findings((await Cli.RunAsync("doctor", "--workspace", _ws.Dir, "--json")).Json, "orphans"));
        Assert.False(Directory.Exists(Path.Combine(Artifacts, FileArtifactStore.TempFolderName, deadOwner)));
    }

    public void Dispose() => _ws.Dispose();
}
