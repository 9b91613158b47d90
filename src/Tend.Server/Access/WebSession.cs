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

    /// <summary>The caller of the request's session, re-proven; null (and the cookie dropped) when there is none or its token no longer signs in.</summary>
    internal static async Task<Caller?> CallerAsync(HttpContext http, AccessService access)
    {
        var session = await http.AuthenticateAsync(Scheme);
        if (session.Principal?.FindFirst(TokenClaim)?.Value is not { } hash)
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
        app.MapGet("/signin", (string? @return) => new RazorComponentResult<SignInPage>(new { Return = @return })).Public().ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).Public().ExcludeFromDescription();
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            await http.SignOutAsync(Scheme);
            return TypedResults.Redirect("/signin");
        }).SignedIn().SessionCounts().ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult<SignInPage>>> SignInAsync([FromForm] SignInForm form, HttpContext http, AccessService access, Workspace ws)
    {
        var token = form.Token?.Trim() ?? "";
        try
        {
            var caller = await access.AuthenticateAsync(token, http.RequestAborted);
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name), new Claim(TokenClaim, TokenSecret.Hash(token))], Scheme);
            await http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
            await access.SignInAsync(caller.Name, true, $"web UI, {caller.Via}", http.RequestAborted);
            return TypedResults.Redirect(Local(form.Return) ?? (caller.May(Permission.Read, ws.Spec.Name) ? "/" : "/runs")); // the served project's overview, else the runs they may read
        }
        catch (TendException e) when (e.Code == ErrorCode.Unauthenticated)
        {
            await access.SignInAsync(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", false, $"web UI: {e.Message}", http.RequestAborted);
            return new RazorComponentResult<SignInPage>(new { Return = form.Return, Problem = e.Message }) { StatusCode = StatusCodes.Status401Unauthorized };
        }
    }

    /// <summary>Where to go after signing in: a path on this server, never another site (an open redirect); null when none is given.</summary>
    private static string? Local(string? path) =>
        path is { Length: > 1 } && path[0] == '/' && path[1] is not ('/' or '\\') ? path : null;
}
