using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Server.Components.Pages;

namespace Tend.Server.Access;

/// <summary>Marks an endpoint where the web UI's session cookie proves the caller (its pages and sign-out); everywhere else only the Authorization header does.</summary>
public sealed record SessionPage;

/// <summary>
/// The web UI's session: a token exchanged for an HttpOnly, SameSite=Strict cookie that keeps the token's hash (never
/// the secret), re-proven on every page so a revoked token ends its sessions; signing in and out are forms with
/// antiforgery tokens, and sign-ins (failed ones too) are audited.
/// </summary>
public static class WebSession
{
    public const string Scheme = "tend-session";
    public const string CookieName = "tend_session";
    private const string TokenClaim = "tend_token";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>The sign-in form's fields: the token, and the page to go back to (the form binds properties, each optional).</summary>
    public sealed class SignInForm
    {
        public string? Token { get; set; }
        public string? Return { get; set; }
    }

    public static string SignInPath(string returnTo) => $"/signin?return={Uri.EscapeDataString(returnTo)}";

    public static void AddWebSession(this IServiceCollection services) =>
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = Lifetime;
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        });

    /// <summary>A session's principal: who, and the claims that prove them again on each page (a token's hash, or the provider that vouched and the roles it gave).</summary>
    internal static ClaimsPrincipal Principal(string name, IEnumerable<Claim> proof) => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. proof], Scheme));

    /// <summary>
    /// The caller of the request's session, re-proven: by the token's hash, or (signed in through <paramref name="provider"/>)
    /// by the name and roles its ID token gave; null (and the cookie dropped) when there is none or its token no longer signs in.
    /// </summary>
    internal static async Task<Caller?> CallerAsync(HttpContext http, AccessService access, IdentityProvider? provider)
    {
        var session = await http.AuthenticateAsync(Scheme);
        if (session.Principal is not { Identity.Name: { } name } principal)
            return null;
        if (principal.FindFirst(ProviderSignIn.IssuerClaim)?.Value is { } issuer)
            return provider is not null && provider.Issuer == issuer ? await access.CallerAsync(name, $"oidc {issuer}, web UI", provider.Grants(principal, name), http.RequestAborted) : null;
        if (principal.FindFirst(TokenClaim)?.Value is not { } hash)
            return null;
        try
        {
            return await access.ProveAsync(hash, http.RequestAborted);
        }
        catch (TendException e) when (e.Code == ErrorCode.Unauthenticated)
        {
            await http.SignOutAsync(Scheme);
            return null;
        }
    }

    public static IEndpointRouteBuilder MapWebSessionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (string? @return, string? failed, ServerAccess settings) => Page(settings, @return, failed is null ? null : "the identity provider did not sign you in; try again, or use a token"))
            .Public().ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).Public().ExcludeFromDescription();
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            await http.SignOutAsync(Scheme);
            return TypedResults.Redirect("/signin");
        }).SignedIn().SessionCounts().ExcludeFromDescription();
        return app;
    }

    /// <summary>The sign-in page, offering the identity provider when people may sign in through it.</summary>
    private static RazorComponentResult<SignInPage> Page(ServerAccess settings, string? returnTo, string? problem) =>
        new(new { Return = returnTo, Problem = problem, Provider = settings.Oidc is { ClientId: not null } provider ? provider.Issuer : null });

    /// <summary>Where a caller lands when no page was asked for: the served project's overview, else the runs they may read.</summary>
    internal static string Home(Caller caller, Workspace ws) => caller.May(Permission.Read, ws.Spec.Name) ? "/" : "/runs";

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<SignInPage>>> SignInAsync([FromForm] SignInForm form, HttpContext http, AccessService access, Workspace ws, ServerAccess settings)
    {
        var token = form.Token?.Trim() ?? "";
        try
        {
            var caller = await access.AuthenticateAsync(token, http.RequestAborted);
            await http.SignInAsync(Scheme, Principal(caller.Name, [new Claim(TokenClaim, TokenSecret.Hash(token))]));
            await access.SignInAsync(caller.Name, true, $"web UI, {caller.Via}", http.RequestAborted);
            return TypedResults.Redirect(Local(form.Return) ?? Home(caller, ws));
        }
        catch (TendException e) when (e.Code == ErrorCode.Unauthenticated)
        {
            await access.SignInAsync(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", false, $"web UI: {e.Message}", http.RequestAborted);
            var page = Page(settings, form.Return, $"that token does not sign in: {e.Message}");
            page.StatusCode = StatusCodes.Status401Unauthorized;
            return page;
        }
    }

    /// <summary>Where to go after signing in: a path on this server, never another site (an open redirect); null when none is given.</summary>
    internal static string? Local(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && path[1] is not ('/' or '\\') ? path : null;
}
