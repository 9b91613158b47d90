using System.Collections.Concurrent;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Stores;

namespace Tend.Pipelines.Services;

/// <summary>What a new token is for: its label, whose it is, what it may do, and for how long.</summary>
public sealed record TokenRequest(string Name, string Subject, TokenKind Kind = TokenKind.Person, IReadOnlyList<Permission>? Scopes = null, int? Days = null)
{
    public const int DefaultDays = 90;
}

/// <summary>A token just made, with its secret: the one time the secret is seen.</summary>
public sealed record MadeToken(ApiToken Token, string Secret);

/// <summary>What granting or taking back a role did: <see cref="Changed"/> is false when it was so already.</summary>
public sealed record GrantChange(string Subject, string Project, Role Role, bool Granted, bool Changed);

/// <summary>
/// Identity and access: API tokens (made, listed, revoked; a secret proven to a <see cref="Caller"/>) and the roles
/// granted per project; token creation and revocation and every role change are audited, sign-ins too.
/// </summary>
public sealed class AccessService
{
    /// <summary>Who the first token belongs to: the admin of every project, made on a store's first start.</summary>
    public const string FirstAdmin = "admin";

    /// <summary>How long a proven token is remembered: a revocation takes effect within this, on every server.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromSeconds(5);

    /// <summary>A token's last use is written at most this often (not on every prediction).</summary>
    private static readonly TimeSpan UseRecordedEvery = TimeSpan.FromMinutes(1);

    private readonly IAccessStore _access;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (Caller Caller, ApiToken Token, DateTimeOffset Until)> _proven = new();

    internal AccessService(IMetadataStore store, TimeProvider time)
    {
        _access = store.Access;
        _audit = store.Audit;
        _time = time;
    }

    /// <summary>Makes a token and returns it with its secret, which is shown this once and never stored.</summary>
    public async Task<MadeToken> CreateTokenAsync(TokenRequest request, string actor, CancellationToken ct)
    {
        var name = TextLimit.Check("name", request.Name, TextLimit.Key);
        if (string.IsNullOrWhiteSpace(name))
            throw TendException.BadField("name", "a token needs a name that says what it is for (e.g. ci-deploy)");
        CheckSubject(request.Subject);
        var days = request.Days ?? TokenRequest.DefaultDays;
        if (days < 1 || days > ApiToken.MaxLifetime.TotalDays)
            throw TendException.BadField("days", $"a token lives 1 to {ApiToken.MaxLifetime.TotalDays:0} days (expiry is mandatory), got {days}");
        var now = _time.GetUtcNow();
        var scopes = request.Scopes is { Count: > 0 } given ? given.Distinct().Order().ToList() : Enum.GetValues<Permission>().ToList();
        var secret = TokenSecret.New(request.Kind);
        var token = new ApiToken(ApiToken.NewId(), name, request.Subject, request.Kind, scopes, now, now.AddDays(days), actor);
        await _access.SaveTokenAsync(token, TokenSecret.Hash(secret), new AuditEntry(actor, "token.create", token.AuditSubject,
            $"{token.Kind.ToString().ToLowerInvariant()} token '{token.Name}' for {token.Subject}, scopes {string.Join(", ", Scopes(token))}, expires {token.Expires:u}",
            After: TendJson.Serialize(token)), ct);
        return new MadeToken(token, secret);
    }

    /// <summary>Every token, newest first: never a secret.</summary>
    public Task<IReadOnlyList<ApiToken>> TokensAsync(CancellationToken ct) => _access.ListTokensAsync(ct);

    public async Task<ApiToken> TokenAsync(string id, CancellationToken ct) =>
        await _access.GetTokenAsync(id, ct) ?? throw TendException.NotFound($"no token has id '{TextLimit.Excerpt(id)}'; 'tend tokens list' shows them");

    /// <summary>Revokes a token: it stops authenticating within <see cref="Remembered"/>; revoking one already revoked is a conflict.</summary>
    public async Task<ApiToken> RevokeTokenAsync(string id, string actor, CancellationToken ct)
    {
        var token = await TokenAsync(id, ct);
        if (token.Revoked is not null)
            throw new TendException(ErrorCode.Conflict, token.Problem(_time.GetUtcNow())!);
        var revoked = token with { Revoked = _time.GetUtcNow(), RevokedBy = actor, LastUsed = null };
        await _access.SaveTokenAsync(revoked, null, new AuditEntry(actor, "token.revoke", token.AuditSubject, $"revoked token '{token.Name}' of {token.Subject}",
            TendJson.Serialize(token with { LastUsed = null }), TendJson.Serialize(revoked)), ct);
        foreach (var (hash, proven) in _proven)
            if (proven.Token.Id == id)
                _proven.TryRemove(hash, out _);
        return revoked;
    }

    /// <summary>The caller a token's secret proves, with their grants; an unknown, malformed, expired or revoked token is <see cref="ErrorCode.Unauthenticated"/>.</summary>
    public async Task<Caller> AuthenticateAsync(string secret, CancellationToken ct)
    {
        if (!TokenSecret.IsWellFormed(secret))
            throw new TendException(ErrorCode.Unauthenticated, "the token is not a Tend token (tend_pat_… or tend_sa_…, with a valid checksum)");
        return await ProveAsync(TokenSecret.Hash(secret), ct);
    }

    /// <summary>The caller of the token with this hash (what a web session keeps instead of the secret); as <see cref="AuthenticateAsync"/>.</summary>
    public async Task<Caller> ProveAsync(string hash, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (_proven.TryGetValue(hash, out var known) && now < known.Until && known.Token.ActiveAt(now))
            return known.Caller;
        var token = await _access.FindTokenAsync(hash, ct) ?? throw new TendException(ErrorCode.Unauthenticated, "the token is not known here");
        if (token.Problem(now) is { } problem)
            throw new TendException(ErrorCode.Unauthenticated, problem);
        var caller = new Caller(token.Subject, $"token {token.Id}", await _access.GrantsAsync(token.Subject, ct), token.Scopes.ToHashSet());
        if (token.LastUsed is not { } used || now - used > UseRecordedEvery)
        {
            await _access.UsedAsync(token.Id, now, ct);
            token = token with { LastUsed = now };
        }
        _proven[hash] = (caller, token, now + Remembered);
        return caller;
    }

    /// <summary>The caller an identity provider vouches for: their stored grants and those its role claim carries.</summary>
    public async Task<Caller> CallerAsync(string subject, string via, IEnumerable<Grant> claimed, CancellationToken ct) =>
        new(subject, via, [.. await _access.GrantsAsync(subject, ct), .. claimed]);

    /// <summary>
    /// Grants <paramref name="role"/> in <paramref name="project"/> (or every project: <c>*</c>), or with
    /// <paramref name="granted"/> false takes it back.
    /// </summary>
    public async Task<GrantChange> SetGrantAsync(string subject, string project, Role role, bool granted, string actor, CancellationToken ct)
    {
        CheckSubject(subject);
        if (project != Grant.AllProjects)
            Core.Spec.Names.Check(project, "project");
        var grant = new Grant(subject, project, role, _time.GetUtcNow(), actor);
        var changed = await _access.SetGrantAsync(grant, granted, new AuditEntry(actor, granted ? "access.grant" : "access.revoke", $"access:{subject}",
            $"{(granted ? "granted" : "revoked")} {role.ToString().ToLowerInvariant()} on {(project == Grant.AllProjects ? "every project" : project)}"), ct);
        _proven.Clear(); // a changed role applies to the next request, not after the tokens are forgotten
        return new GrantChange(subject, project, role, granted, changed);
    }

    /// <summary>The grants of one subject, or of everyone.</summary>
    public Task<IReadOnlyList<Grant>> GrantsAsync(string? subject, CancellationToken ct) => _access.GrantsAsync(subject, ct);

    /// <summary>
    /// A store's first admin, on the server's first start: from <paramref name="secret"/> (TEND_ADMIN_TOKEN) when given,
    /// stored if it is not yet; else, when the store has no token at all, a new one whose secret is returned to be shown
    /// once. Either way <see cref="FirstAdmin"/> holds admin on every project.
    /// </summary>
    public async Task<string?> EnsureAdminAsync(string? secret, string variable, CancellationToken ct)
    {
        string? made = null;
        if (secret is not null)
        {
            if (!TokenSecret.IsWellFormed(secret))
                throw TendException.BadUsage($"{variable} is not a Tend token; make one with 'tend tokens create', or leave it unset and the server makes one");
            if (await _access.FindTokenAsync(TokenSecret.Hash(secret), ct) is { } stored)
            {
                if (stored.Problem(_time.GetUtcNow()) is { } problem)
                    throw TendException.BadUsage($"{variable}: {problem}; set a new one");
                return null;
            }
            await SaveAdminTokenAsync(secret, $"from {variable}", ct);
        }
        else if ((await _access.ListTokensAsync(ct)).Count == 0)
            await SaveAdminTokenAsync(made = TokenSecret.New(TokenKind.Person), "made on the first start", ct);
        else
            return null;
        await SetGrantAsync(FirstAdmin, Grant.AllProjects, Role.Admin, true, FirstAdmin, ct);
        return made;
    }

    private async Task SaveAdminTokenAsync(string secret, string how, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var token = new ApiToken(ApiToken.NewId(), "first admin", FirstAdmin, TokenKind.Person, Enum.GetValues<Permission>(), now, now + ApiToken.MaxLifetime, FirstAdmin);
        await _access.SaveTokenAsync(token, TokenSecret.Hash(secret), new AuditEntry(FirstAdmin, "token.create", token.AuditSubject, $"the first admin's token, {how}", After: TendJson.Serialize(token)), ct);
    }

    /// <summary>Records a sign-in, or a failed one, in the audit trail (never the credential).</summary>
    public Task SignInAsync(string subject, bool succeeded, string detail, CancellationToken ct) =>
        _audit.AppendAsync(new AuditEntry(subject, succeeded ? "auth.signin" : "auth.failed", $"access:{subject}", detail), ct);

    private static IEnumerable<string> Scopes(ApiToken token) => token.Scopes.Select(s => s.ToString().ToLowerInvariant());

    /// <summary>A subject is a name, an e-mail address or an identity provider's id: 1 to 250 visible characters, no spaces.</summary>
    private static void CheckSubject(string subject)
    {
        if (string.IsNullOrEmpty(subject) || subject.Length > TextLimit.Key || subject.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw TendException.BadField("subject", $"subject '{TextLimit.Excerpt(subject ?? "")}' is not valid: 1 to {TextLimit.Key} visible characters, no spaces");
    }
}
