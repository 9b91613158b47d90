using Tend.Core.Domain;
using Tend.Core.Errors;

namespace Tend.Pipelines;

/// <summary>What deleting a run removed: its artifacts that nothing else referenced, and those kept because something does.</summary>
public sealed record DeletedRun(string RunId, IReadOnlyList<string> ArtifactsDeleted, IReadOnlyList<string> ArtifactsKept);

/// <summary>
/// Deletes a run and the artifacts no other run or model version references (artifacts are content-addressed, so two
/// runs that made the same model share one file). A run a model version was registered from stays while that version
/// does; a running run cannot be deleted. The metadata goes first (audited), then the files: a crash in between can
/// leave an unreferenced file, never a run pointing at a missing one.
/// </summary>
public static class RunDeletion
{
    public static async Task<DeletedRun> DeleteAsync(Workspace ws, string runId, string actor, CancellationToken ct)
    {
        var run = await ws.GetRunAsync(runId, ct);
        if (run.Status == RunStatus.Running)
            throw new TendException(ErrorCode.Conflict, $"run {run.Id} is still running; delete it once it has ended");
        var models = await ws.Store.Models.ListAsync(ct);
        if (models.FirstOrDefault(m => m.RunId == run.Id) is { } registered)
            throw new TendException(ErrorCode.Conflict, $"run {run.Id} is registered as {registered.Name} v{registered.Version}; it stays while that model version does");

        await ws.Store.Runs.DeleteAsync(run.Id, new AuditEntry(actor, "run.deleted", run.Id, $"deleted with {run.Artifacts.Count} artifacts"), ct);
        var others = await ws.Store.Runs.ListAsync(ct);
        var referenced = others.SelectMany(r => r.Artifacts.Values).Concat(models.Select(m => m.Artifact)).ToHashSet(StringComparer.Ordinal);
        var (deleted, kept) = (new List<string>(), new List<string>());
        foreach (var path in run.Artifacts.Values.Distinct())
        {
            if (referenced.Contains(path))
            {
                kept.Add(path);
                continue;
            }
            await ws.Artifacts.DeleteAsync(path, ct);
            deleted.Add(path);
        }
        return new DeletedRun(run.Id, deleted, kept);
    }
}
