using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>The projects a store holds, each with its tend.yaml revisions and the one it is at now.</summary>
public interface IProjectStore
{
    /// <summary>
    /// Makes <paramref name="revision"/> its project's current one, storing its text when the project has not had it before,
    /// in one transaction with <paramref name="audit"/>.
    /// </summary>
    Task ReviseAsync(ProjectRevision revision, AuditEntry audit, CancellationToken ct);

    /// <summary>The project's current revision, or null for a project the store does not hold.</summary>
    Task<ProjectRevision?> GetAsync(string project, CancellationToken ct);

    /// <summary>Every project at its current revision, by name.</summary>
    Task<IReadOnlyList<ProjectRevision>> ListAsync(CancellationToken ct);

    /// <summary>Every revision the project has had, oldest first.</summary>
    Task<IReadOnlyList<ProjectRevision>> HistoryAsync(string project, CancellationToken ct);
}
