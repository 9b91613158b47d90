using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Tend.Core.Domain;
using Tend.Pipelines;
using Tend.Pipelines.Services;

namespace Tend.Server.Access;

/// <summary>
/// Signing in to the web UI through the identity provider: OpenID Connect's authorization code flow, with PKCE. The
/// provider's ID token names the person and carries their roles; the session keeps that name and those roles for
/// <see cref="WebSession.Lifetime"/>, not extended (then the provider is asked again), and each page proves the caller
/// from them with the roles the store grants that name. A client secret, when the provider issues one, is read from
/// <see cref="ClientSecretVariable"/>, never from a command line. Sign-ins and failed ones are audited.
/// </summary>
public static class ProviderSignIn
{
    public const string Scheme = "oidc-web";
    public const string ClientSecretVariable = "TEND_OIDC_CLIENT_SECRET";
    public const string StartPath = "/signin/oidc";
    private const string CallbackPath = "/signin/oidc/callback";
    private const string LandingPath = "/signin/oidc/done";
    private const string ReturnItem = "return";

    /// <summary>The claim of a session the provider vouched for: its issuer.</summary>
    internal const string IssuerClaim = "tend_oidc_issuer";

    internal static void AddTo(AuthenticationBuilder authentication, IdentityProvider provider) =>
        authentication.AddOpenIdConnect(Scheme, o =>
        {
            o.Authority = provider.Issuer;
            o.ClientId = provider.ClientId;
            o.ClientSecret = Environment.GetEnvironmentVariable(ClientSecretVariable);
            o.RequireHttpsMetadata = provider.HttpsOnly;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query; // back with a top-level GET, which the flow's SameSite=Lax cookies go with
            o.UsePkce = true;
            o.CallbackPath = CallbackPath;
            o.SignInScheme = WebSession.Scheme;
            o.MapInboundClaims = false; // claims as the provider names them
            o.TokenValidationParameters.NameClaimType = provider.NameClaim;
            o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events = new OpenIdConnectEvents
            {
                OnTokenValidated = c => SignedInAsync(c, provider),
                OnRemoteFailure = async c =>
                {
                    var address = c.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                    await Access(c.HttpContext).SignInAsync(address, false, $"web UI, oidc {provider.Issuer}: {TextLimit.Excerpt(c.Failure?.Message ?? "no reason given")}", c.HttpContext.RequestAborted);
                    c.Response.Redirect("/signin?failed=provider");
                    c.HandleResponse();
                },
            };
        });

    /// <summary>The session of whom the ID token names, with the roles it carries; the page asked for, or their home.</summary>
    private static async Task SignedInAsync(TokenValidatedContext c, IdentityProvider provider)
    {
        if (c.Principal?.FindFirst(provider.NameClaim)?.Value is not { Length: > 0 } name)
        {
            c.Fail($"the ID token has no '{provider.NameClaim}' claim");
            return;
        }
        var access = Access(c.HttpContext);
        c.Principal = WebSession.Principal(name, [new Claim(IssuerClaim, provider.Issuer), .. c.Principal.FindAll(provider.RolesClaim).Select(r => new Claim(provider.RolesClaim, r.Value))]);
        var caller = await access.CallerAsync(name, $"oidc {provider.Issuer}", provider.Grants(c.Principal, name), c.HttpContext.RequestAborted);
        var properties = c.Properties!;
        properties.ExpiresUtc = DateTimeOffset.UtcNow + WebSession.Lifetime;
        properties.AllowRefresh = false;
        var home = properties.Items.TryGetValue(ReturnItem, out var asked) && WebSession.Local(asked) is { } page ? page
            : WebSession.Home(caller, c.HttpContext.RequestServices.GetRequiredService<Workspace>());
        properties.RedirectUri = $"{LandingPath}?{ReturnItem}={Uri.EscapeDataString(home)}";
        await access.SignInAsync(name, true, $"web UI, oidc {provider.Issuer}", c.HttpContext.RequestAborted);
    }

    public static IEndpointRouteBuilder MapProviderSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(StartPath, (string? @return) =>
        {
            var properties = new AuthenticationProperties { RedirectUri = LandingPath };
            properties.Items[ReturnItem] = @return;
            return TypedResults.Challenge(properties, [Scheme]);
        }).Public().ExcludeFromDescription();
        // The provider sent the browser back from another site, so a SameSite=Strict session cookie does not go with
        // that navigation or its redirects; this page moves on from the server's own site, and the cookie goes along.
        app.MapGet(LandingPath, (string? @return) =>
        {
            var page = WebUtility.HtmlEncode(WebSession.Local(@return) ?? "/");
            return TypedResults.Content($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={page}\"><title>Signed in · Tend</title></head>" +
                $"<body><p>Signed in. <a href=\"{page}\">Continue</a>.</p></body></html>", "text/html; charset=utf-8");
        }).Public().ExcludeFromDescription();
        return app;
    }

    private static AccessService Access(HttpContext http) => http.RequestServices.GetRequiredService<AccessService>();
}
