using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;

namespace Tend.Pipelines;

/// <summary>What deleting a run removed: its child runs, the artifacts that nothing else referenced, and those kept because something does.</summary>
public sealed record DeletedRun(string RunId, IReadOnlyList<string> ChildRuns, IReadOnlyList<string> ArtifactsDeleted, IReadOnlyList<string> ArtifactsKept);

/// <summary>
/// Deletes a run and the artifacts nothing else references: no run, model version, dataset version or evaluation
/// (artifacts are content-addressed, so two runs that made the same model share one file). A run a model version was registered from stays while that version
/// does; a running run cannot be deleted. A run's child runs (a search's trials) go with it, checked the same way
/// first. The metadata goes first (audited), then the files: a crash in between can leave an unreferenced file, never a
/// run pointing at a missing one.
/// </summary>
public static class RunDeletion
{
    public static async Task<DeletedRun> DeleteAsync(Workspace ws, string runId, string actor, CancellationToken ct)
    {
        var run = await ws.GetRunAsync(runId, ct);
        var family = new List<Run> { run };
        for (var i = 0; i < family.Count; i++)
            family.AddRange((await ws.Store.Runs.QueryAsync(RunQuery.Parse(null, $"parent = '{family[i].Id}'", null, 0, RunQuery.MaxLimit), ct)).Runs);
        var models = await ws.Store.Models.ListAsync(ct);
        foreach (var member in family)
        {
            var what = member == run ? $"run {run.Id}" : $"run {run.Id}'s child run {member.Id}";
            if (member.Status == RunStatus.Running)
                throw new TendException(ErrorCode.Conflict, $"{what} is still running; delete it once it has ended");
            if (models.FirstOrDefault(m => m.RunId == member.Id) is { } registered)
                throw new TendException(ErrorCode.Conflict, $"{what} is registered as {registered.Name} v{registered.Version}; it stays while that model version does");
        }
        foreach (var member in Enumerable.Reverse(family))
            await ws.Store.Runs.DeleteAsync(member.Id, new AuditEntry(actor, "run.deleted", member.Id,
                $"deleted with {member.Artifacts.Count} artifacts" + (member == run ? "" : $", as a child of run {run.Id}")), ct);
        var artifacts = family.SelectMany(r => r.Artifacts.Values).Distinct().ToList();
        var referenced = await ws.Store.ReferencedArtifactsAsync(artifacts, ct);
        var (deleted, kept) = (new List<string>(), new List<string>());
        foreach (var path in artifacts)
        {
            if (referenced.Contains(path))
            {
                kept.Add(path);
                continue;
            }
            await ws.Artifacts.DeleteAsync(path, ct);
            deleted.Add(path);
        }
        return new DeletedRun(run.Id, family.Skip(1).Select(r => r.Id).ToList(), deleted, kept);
    }
}
