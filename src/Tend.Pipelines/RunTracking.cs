using System.Security.Cryptography;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Core.Stores;

namespace Tend.Pipelines;

/// <summary>How a client's own training code starts a run (the SDK's <c>StartRunAsync</c>, <c>POST /api/v1/runs</c>).</summary>
public sealed record RunStart(
    string Project,
    string? Name = null,
    string? Parent = null,
    string? Dataset = null,
    IReadOnlyDictionary<string, string>? Params = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    IReadOnlyDictionary<string, string>? Environment = null);

/// <summary>Runs tracked from outside Tend's own training: started, logged to, given artifacts and ended over the REST API.</summary>
public static class RunTracking
{
    public const string FilesFolder = "files";
    private const int MaxPathLength = 512;

    public static async Task<Run> StartAsync(Workspace ws, RunStart start, CancellationToken ct)
    {
        var run = await PrepareAsync(ws, start, ct);
        await ws.Store.Runs.SaveAsync(run, null, ct);
        return run;
    }

    /// <summary>The running run <paramref name="start"/> describes, checked and not yet saved (<see cref="RunHeartbeat.StartAsync"/> saves it with its first beat).</summary>
    internal static async Task<Run> PrepareAsync(Workspace ws, RunStart start, CancellationToken ct)
    {
        Names.Check(start.Project ?? "", "project");
        TextLimit.Check("name", start.Name, TextLimit.Key);
        TextLimit.Check("params", start.Params);
        TextLimit.Check("tags", start.Tags);
        TextLimit.Check("environment", start.Environment);
        var parent = start.Parent is { Length: > 0 } id ? (await ws.GetRunAsync(id, ct)).Id : "";
        var started = Run.Start(start.Project!, start.Dataset ?? "", start.Params ?? new Dictionary<string, string>(),
            start.Environment ?? new Dictionary<string, string>(), parent, start.Name ?? "");
        return started with { Tags = start.Tags ?? new Dictionary<string, string>() };
    }

    /// <summary>Stores the content under its sha256 (once, whoever sends it again) and records it as the run's artifact at <paramref name="path"/>.</summary>
    public static async Task<(string Path, string Artifact, long Bytes)> PutArtifactAsync(Workspace ws, string runId, string path, Stream content, CancellationToken ct)
    {
        CheckPath(path);
        var run = await ws.GetRunAsync(runId, ct);
        if (run.Status != RunStatus.Running)
            throw new TendException(ErrorCode.Conflict, $"run '{run.Id}' has ended: only a running run takes artifacts");
        var temp = ws.Temp.NewFile("artifact");
        try
        {
            string sha;
            long bytes;
            await using (var file = File.Create(temp))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                (sha, bytes) = (Convert.ToHexStringLower(hash.GetHashAndReset()), file.Length);
            }
            var artifact = $"{FilesFolder}/{sha}";
            if (!await ws.Artifacts.ExistsAsync(artifact, ct))
                await ws.Artifacts.PutFileAsync(artifact, temp, ct);
            await ws.Store.Runs.LogAsync(run.Id, new RunLog(Artifacts: new Dictionary<string, string> { [path] = artifact }), ct);
            return (path, artifact, bytes);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Ends a running run as finished, failed (with its error) or killed, audited.</summary>
    public static async Task<Run> EndAsync(Workspace ws, string runId, RunStatus status, string? error, CancellationToken ct)
    {
        if (status == RunStatus.Running)
            throw TendException.BadUsage("a run ends as finished, failed or killed, not running");
        TextLimit.Check("error", error);
        var run = await ws.GetRunAsync(runId, ct);
        if (run.Status != RunStatus.Running)
            throw new TendException(ErrorCode.Conflict, $"run '{run.Id}' has already ended ({run.Status.ToString().ToLowerInvariant()})");
        var ended = run.End(status, status == RunStatus.Finished ? null : error ?? status.ToString().ToLowerInvariant());
        var action = $"run.{status.ToString().ToLowerInvariant()}";
        await ws.Store.Runs.SaveAsync(ended, new AuditEntry(ws.Actor, action, run.Id, ended.Error ?? $"{run.Metrics.Count} metrics, {run.Artifacts.Count} artifacts"), ct);
        return ended;
    }

    /// <summary>A relative path of named segments: no leading '/', no '.' or '..', no backslash.</summary>
    public static void CheckPath(string path)
    {
        var segments = path.Split('/');
        if (path.Length is 0 or > MaxPathLength || path.Contains('\\') || segments.Any(s => s is "" or "." or ".." || s.Any(char.IsControl)))
            throw TendException.BadUsage($"artifact path '{path}' must be relative, of named segments joined by '/' (no '.', '..', '\\' or empty segment), at most {MaxPathLength} characters");
    }
}
