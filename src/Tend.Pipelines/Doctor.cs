using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Data.Sources;

namespace Tend.Pipelines;

/// <summary>One thing found wrong: what it concerns, what is wrong, and what was done about it (null: nothing could be done safely).</summary>
public sealed record DoctorFinding(string Subject, string Problem, string? Repair = null);

/// <summary>One check of a workspace: what it looked at, how many, and what it found.</summary>
public sealed record DoctorCheck(string Name, string Examines, int Examined, IReadOnlyList<DoctorFinding> Findings)
{
    /// <summary>Nothing found, or every finding repaired.</summary>
    public bool Healthy => Findings.All(f => f.Repair is not null);
}

public sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks, bool Repaired)
{
    public bool Healthy => Checks.All(c => c.Healthy);
}

/// <summary>
/// Checks a workspace (<c>tend doctor</c>): the database's own integrity, the audit chain, runs left running by a
/// process that is gone, every referenced file present (and, when its name is its sha256, with that checksum; a
/// dataset's data opening as Parquet), stored files nothing refers to, and what dead processes left in the temp
/// folder. With <c>repair</c> it fixes what it safely can, each action reported: it ends the stuck runs as killed and
/// deletes the unreferenced files older than a grace period; the temp folder is swept whenever a command opens the store.
/// </summary>
public static partial class Doctor
{
    /// <summary>How old an unreferenced file must be before a repair deletes it: a command running meanwhile stores its files before it records them.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(10);

    public static async Task<DoctorReport> ExamineAsync(Workspace ws, bool repair, TimeSpan grace, CancellationToken ct)
    {
        // The files before what refers to them: a file stored after this listing is not judged, one recorded meanwhile is referenced.
        var stored = await ws.Artifacts.ListAsync("", ct);
        var referenced = await ws.Store.ReferencedArtifactsAsync(null, ct);
        return new DoctorReport(
        [
            await StoreAsync(ws, ct),
            await AuditAsync(ws, ct),
            await RunsAsync(ws, repair, ct),
            await FilesAsync(ws, referenced, stored.ToHashSet(StringComparer.Ordinal), ct),
            await OrphansAsync(ws, referenced, stored, repair ? grace : null, ct),
            Temp(ws),
        ], repair);
    }

    private static async Task<DoctorCheck> StoreAsync(Workspace ws, CancellationToken ct)
    {
        var problems = await ws.Store.IntegrityProblemsAsync(ct);
        return new DoctorCheck("store", "the database's pages and indexes", 1, problems.Select(p => new DoctorFinding("database", p)).ToList());
    }

    private static async Task<DoctorCheck> AuditAsync(Workspace ws, CancellationToken ct)
    {
        var events = await ws.Store.Audit.ListAsync(ct);
        var check = AuditVerification.Of(events);
        return new DoctorCheck("audit", "the audit trail's hash chain", check.Events, check.Intact ? []
            : [new DoctorFinding($"audit event {check.FirstBroken}", "the hash chain breaks here: the event was changed, or one before it removed")]);
    }

    private static async Task<DoctorCheck> RunsAsync(Workspace ws, bool repair, CancellationToken ct)
    {
        var running = (await ws.Store.Runs.QueryAsync(RunQuery.Parse(null, "status = 'running'", null, 0, 1), ct)).Total;
        var stuck = repair ? await RunHeartbeat.EndOrphansAsync(ws.Store.Runs, ws.Time, ct) : await RunHeartbeat.FindOrphansAsync(ws.Store.Runs, ws.Time, ct);
        return new DoctorCheck("runs", "running runs: is their process alive", (int)running,
            stuck.Select(r => new DoctorFinding($"run {r.Id}", $"running, but {r.Error}", repair ? "ended as killed" : null)).ToList());
    }

    private static async Task<DoctorCheck> FilesAsync(Workspace ws, IReadOnlySet<string> referenced, IReadOnlySet<string> stored, CancellationToken ct)
    {
        var findings = new List<DoctorFinding>();
        foreach (var file in referenced.Order(StringComparer.Ordinal))
        {
            if (!stored.Contains(file))
                findings.Add(new DoctorFinding(file, $"missing{(DatasetFile().IsMatch(file) ? "; adding the same data again restores it" : "")}"));
            else if (await ProblemAsync(ws, file, ct) is { } problem)
                findings.Add(new DoctorFinding(file, problem));
        }
        return new DoctorCheck("files", "every file a run, model version, dataset version or evaluation refers to", referenced.Count, findings);
    }

    /// <summary>A content-addressed file whose bytes no longer hash to its name, or a dataset's data that does not open as Parquet.</summary>
    private static async Task<string?> ProblemAsync(Workspace ws, string file, CancellationToken ct)
    {
        if (ContentAddressed().Match(file) is { Success: true } named)
        {
            await using var content = await ws.Artifacts.GetAsync(file, ct);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
            return sha == named.Groups[1].Value ? null : $"its bytes hash to {sha}, not to its name: the file changed";
        }
        if (!file.EndsWith("/data.parquet", StringComparison.Ordinal))
            return null;
        var bytes = new MemoryStream();
        await using (var content = await ws.Artifacts.GetAsync(file, ct))
            await content.CopyToAsync(bytes, ct);
        try
        {
            _ = new ParquetSource(() => new MemoryStream(bytes.ToArray(), writable: false), file);
            return null;
        }
        catch (TendException e)
        {
            return e.Message;
        }
    }

    /// <summary>Stored files nothing refers to; with a repair's <paramref name="grace"/>, deleted once older than it.</summary>
    private static async Task<DoctorCheck> OrphansAsync(Workspace ws, IReadOnlySet<string> referenced, IReadOnlyList<string> stored, TimeSpan? grace, CancellationToken ct)
    {
        var findings = new List<DoctorFinding>();
        foreach (var file in stored.Where(f => !referenced.Contains(f)))
        {
            string? repair = null;
            if (grace is { } g && ws.Time.GetUtcNow() - await ws.Artifacts.ModifiedAsync(file, ct) >= g)
            {
                await ws.Artifacts.DeleteAsync(file, ct);
                repair = "deleted";
            }
            findings.Add(new DoctorFinding(file, grace is null || repair is not null ? "stored, but nothing refers to it"
                : $"stored, but nothing refers to it; kept, since it is newer than {Span(grace.Value)}: a command running now may be about to record it", repair));
        }
        return new DoctorCheck("orphans", "stored files: does anything refer to them", stored.Count, findings);
    }

    private static string Span(TimeSpan grace) => grace.TotalMinutes >= 1 ? $"{grace.TotalMinutes:0} minutes" : $"{grace.TotalSeconds:0} seconds";

    private static DoctorCheck Temp(Workspace ws)
    {
        var swept = ws.Backends.TempSwept.Select(e => new DoctorFinding(Path.GetFileName(e), "left in the temp folder by a process that ended", "removed when the store was opened"));
        var left = ws.Temp.Leftovers().Select(e => new DoctorFinding(Path.GetFileName(e), "left in the temp folder by a process that ended"));
        return new DoctorCheck("temp", $"the temp folder {ws.Temp.Root}", ws.Backends.TempSwept.Count, [.. swept, .. left]);
    }

    [GeneratedRegex("^(?:models|profiles|evaluations|leaderboards|files)/([0-9a-f]{64})(?:\\.[a-z]+)?$")]
    private static partial Regex ContentAddressed();

    [GeneratedRegex("^datasets/[0-9a-f]{64}/")]
    private static partial Regex DatasetFile();
}
