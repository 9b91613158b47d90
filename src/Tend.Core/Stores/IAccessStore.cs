using Tend.Core.Domain;
using Tend.Core.Identity;

namespace Tend.Core.Stores;

/// <summary>Who may do what: API tokens (by the hash of their secret) and the roles granted to subjects per project; every change audited.</summary>
public interface IAccessStore
{
    /// <summary>Stores a new token under the hash of its secret, or saves a changed one (revoked) when <paramref name="hash"/> is null.</summary>
    Task SaveTokenAsync(ApiToken token, string? hash, AuditEntry audit, CancellationToken ct);

    Task<ApiToken?> FindTokenAsync(string hash, CancellationToken ct);

    Task<ApiToken?> GetTokenAsync(string id, CancellationToken ct);

    /// <summary>Every token, newest first.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct);

    /// <summary>Records that the token authenticated a request at <paramref name="time"/> (not audited: it is not a change).</summary>
    Task UsedAsync(string id, DateTimeOffset time, CancellationToken ct);

    /// <summary>Adds the grant (true when it was not held already) or, with <paramref name="granted"/> false, removes it (true when it was held).</summary>
    Task<bool> SetGrantAsync(Grant grant, bool granted, AuditEntry audit, CancellationToken ct);

    /// <summary>The grants of one subject, or of all, ordered by subject, project and role.</summary>
    Task<IReadOnlyList<Grant>> GrantsAsync(string? subject, CancellationToken ct);
}
