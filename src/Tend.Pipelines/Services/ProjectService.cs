using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Core.Stores;

namespace Tend.Pipelines.Services;

/// <summary>A project the store holds, at its current tend.yaml revision; <see cref="Spec"/> is null, and <see cref="Problem"/> says why, when that text does not load.</summary>
public sealed record StoredProject(ProjectRevision Current, ProjectSpec? Spec, string? Problem)
{
    public string Name => Current.Project;
}

/// <summary>
/// The projects in the store: each tend.yaml revision a command acts with is recorded, content-addressed (the same text is
/// the same revision), and a project's first revision and each change are audited with the actor, the keys that changed,
/// and both texts.
/// </summary>
public sealed class ProjectService
{
    private readonly IProjectStore _projects;
    private readonly TimeProvider _time;

    internal ProjectService(IMetadataStore store, TimeProvider time)
    {
        _projects = store.Projects;
        _time = time;
    }

    /// <summary>Makes <paramref name="text"/> the project's current revision, unless it is already.</summary>
    internal async Task<ProjectRevision> RecordAsync(ProjectSpec spec, string text, string folder, string actor, CancellationToken ct)
    {
        var current = await _projects.GetAsync(spec.Name, ct);
        var revision = ProjectRevision.RevisionOf(text);
        if (current?.Revision == revision)
            return current;
        var recorded = new ProjectRevision(spec.Name, revision, text, _time.GetUtcNow(), actor, folder);
        await _projects.ReviseAsync(recorded, current is null
            ? new AuditEntry(actor, "project.register", ProjectRevision.Subject(spec.Name), $"registered from {folder}", After: text)
            : new AuditEntry(actor, "project.revise", ProjectRevision.Subject(spec.Name), Changes(current.Text, text), current.Text, text), ct);
        return recorded;
    }

    private static string Changes(string before, string after) =>
        SpecChanges.Between(before, after) is { Count: > 0 } keys ? $"changed: {string.Join(", ", keys)}" : "changed: comments or layout only";

    /// <summary>Every project, by name.</summary>
    public async Task<IReadOnlyList<StoredProject>> ListAsync(CancellationToken ct) => (await _projects.ListAsync(ct)).Select(Load).ToList();

    public async Task<StoredProject> GetAsync(string name, CancellationToken ct) => Load(await CurrentAsync(name, ct));

    /// <summary>The project's revisions, oldest first.</summary>
    public async Task<IReadOnlyList<ProjectRevision>> HistoryAsync(string name, CancellationToken ct) =>
        await _projects.HistoryAsync((await CurrentAsync(name, ct)).Project, ct);

    private async Task<ProjectRevision> CurrentAsync(string name, CancellationToken ct) =>
        await _projects.GetAsync(name, ct) ?? throw TendException.NotFound($"no project '{name}' in this store");

    private static StoredProject Load(ProjectRevision current)
    {
        try
        {
            return new StoredProject(current, SpecLoader.Parse(current.Text, $"{current.Project}@{current.Revision[..12]}/{SpecLoader.FileName}"), null);
        }
        catch (TendException e)
        {
            return new StoredProject(current, null, e.Message);
        }
    }
}
