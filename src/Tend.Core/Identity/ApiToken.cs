namespace Tend.Core.Identity;

/// <summary>Who a token speaks for: a person, or automation (a service account).</summary>
public enum TokenKind
{
    Person,
    Service,
}

/// <summary>
/// An API token as stored: never the secret, only its hash (<see cref="TokenSecret.Hash"/>). It acts as
/// <see cref="Subject"/> with that subject's roles, narrowed to <see cref="Scopes"/>, until it expires or is revoked.
/// </summary>
public sealed record ApiToken(
    string Id,
    string Name,
    string Subject,
    TokenKind Kind,
    IReadOnlyList<Permission> Scopes,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    string CreatedBy,
    DateTimeOffset? LastUsed = null,
    DateTimeOffset? Revoked = null,
    string? RevokedBy = null)
{
    /// <summary>A new token's id: what lists, revocations and the audit trail name it by (not a secret).</summary>
    public static string NewId() => $"tok_{Guid.NewGuid():N}"[..16];

    /// <summary>The longest a token may live: a year (mandatory expiry).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public bool ActiveAt(DateTimeOffset now) => Revoked is null && now < Expires;

    /// <summary>Why it does not authenticate at <paramref name="now"/>, or null when it does.</summary>
    public string? Problem(DateTimeOffset now) =>
        Revoked is not null ? $"token {Id} was revoked by {RevokedBy} at {Revoked:u}"
        : now >= Expires ? $"token {Id} expired at {Expires:u}"
        : null;

    /// <summary>The audit subject of a token.</summary>
    public string AuditSubject => $"token:{Id}";
}
