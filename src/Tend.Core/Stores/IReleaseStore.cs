using Tend.Core.Domain;

namespace Tend.Core.Stores;

/// <summary>Releases, at most one active per model, each save audited.</summary>
public interface IReleaseStore
{
    /// <summary>
    /// Adds <paramref name="release"/> unless another release of its model is active; <paramref name="superseded"/>
    /// (that active one, ended) is saved first in the same transaction. False when an active release is in the way.
    /// </summary>
    Task<bool> StartAsync(Release release, Release? superseded, IReadOnlyList<AuditEntry> audit, CancellationToken ct);

    /// <summary>Saves the release if it is still at the revision it was read at (saved as the next); false when another process saved it since.</summary>
    Task<bool> SaveAsync(Release release, AuditEntry audit, CancellationToken ct);

    Task<Release?> GetAsync(string id, CancellationToken ct);

    /// <summary>Releases, newest first: of one model, or of all.</summary>
    Task<IReadOnlyList<Release>> ListAsync(string? model, CancellationToken ct);
}
