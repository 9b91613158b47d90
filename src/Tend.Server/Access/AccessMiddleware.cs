using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines.Services;

namespace Tend.Server.Access;

/// <summary>
/// Proves who calls (<c>Authorization: Bearer</c> on the API; the web UI's session cookie on its pages, and only there)
/// and checks the endpoint's <see cref="EndpointAccess"/> before it runs: 401 without a proven identity (a browser
/// asking for a page is sent to sign in), 403 when the caller's roles fall short. Failed attempts are audited, at most
/// one a minute per client address.
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessService access, ServerAccess settings, ILogger<AccessMiddleware> logger)
{
    private static readonly TimeSpan FailureAuditedEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failures = new();

    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint is null)
        {
            await next(http); // no route: the framework's 404 or 405
            return;
        }
        var need = endpoint.Metadata.GetMetadata<EndpointAccess>() ?? EndpointAccess.Undeclared;
        var open = need.Scope == AccessScope.Public || settings.OpenPredictions && need.Permission == Permission.Predict;
        var page = endpoint.Metadata.GetMetadata<SessionPage>() is not null;
        var caller = settings.Off ? ServerAccess.Anonymous : await ProveAsync(http, page, open);
        if (caller is null && !open)
        {
            if (page && HttpMethods.IsGet(http.Request.Method))
            {
                http.Response.Redirect(WebSession.SignInPath(http.Request.Path + http.Request.QueryString));
                return;
            }
            http.Response.Headers.WWWAuthenticate = "Bearer";
            throw new TendException(ErrorCode.Unauthenticated, $"{http.Request.Path} needs an API token: send 'Authorization: Bearer tend_…' ('tend tokens create' makes one)");
        }
        if (caller is not null)
        {
            RequestActor.Set(http, caller);
            if (!open)
                await AuthorizeAsync(http, caller, need);
        }
        await next(http);
    }

    private static async Task AuthorizeAsync(HttpContext http, Caller caller, EndpointAccess need)
    {
        if (need.Scope == AccessScope.Project)
        {
            http.Require(need.Permission, await need.Project!.Find(http));
            return;
        }
        var allowed = need.Scope switch
        {
            AccessScope.SignedIn => true,
            AccessScope.Everywhere => caller.MayEverywhere(need.Permission),
            _ => caller.Projects(need.Permission) is not { Count: 0 },
        };
        if (!allowed)
            throw new TendException(ErrorCode.NotAllowed, $"{caller.Name} may not {Needs.Name(need.Permission)} here: it needs {need}, which {Needs.Holders(need.Permission)} hold");
    }

    /// <summary>The caller a request's credential proves; null when it carries none (or only a cookie where a session does not count).</summary>
    private async Task<Caller?> ProveAsync(HttpContext http, bool sessionCounts, bool open)
    {
        var header = http.Request.Headers.Authorization.ToString();
        try
        {
            if (header.Length > 0)
            {
                if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                    throw new TendException(ErrorCode.Unauthenticated, "the Authorization header must be 'Bearer TOKEN'");
                var token = header["Bearer ".Length..].Trim();
                return settings.Oidc is { } provider && !TokenSecret.LooksLikeOne(token)
                    ? await provider.ProveAsync(http, access)
                    : await access.AuthenticateAsync(token, http.RequestAborted);
            }
            return sessionCounts ? await WebSession.CallerAsync(http, access, settings.Oidc) : null;
        }
        catch (TendException e) when (e.Code == ErrorCode.Unauthenticated)
        {
            await AuditFailureAsync(http, e.Message);
            if (open)
                return null; // a public endpoint answers whoever asks; a bad credential does not make it refuse
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            throw;
        }
    }

    private async Task AuditFailureAsync(HttpContext http, string why)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var now = DateTimeOffset.UtcNow;
        if (_failures.TryGetValue(address, out var last) && now - last < FailureAuditedEvery)
            return;
        if (_failures.Count > 10_000)
            _failures.Clear(); // one entry an address: bounded, whoever sends from how many
        _failures[address] = now;
        logger.LogWarning("refused a credential from {Address} on {Path}: {Why}", address, http.Request.Path, why);
        await access.SignInAsync(address, false, $"{http.Request.Method} {http.Request.Path}: {why}", http.RequestAborted);
    }
}
