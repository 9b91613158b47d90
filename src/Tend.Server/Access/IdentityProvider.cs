using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines.Services;

namespace Tend.Server.Access;

/// <summary>
/// An OpenID Connect identity provider whose signed tokens (JWT bearer) the server takes besides its own: the issuer
/// (its discovery document names the signing keys, JWKS), the audience the tokens must be for, the claim that names the
/// caller (<c>sub</c> by default) and the claim that carries their roles (<c>tend_roles</c> by default), each value
/// <c>PROJECT:ROLE</c>, or a bare role for every project. Roles granted in the store to that name count too. With a
/// <see cref="ClientId"/>, people sign in to the web UI through the provider too (<see cref="ProviderSignIn"/>).
/// </summary>
public sealed record IdentityProvider(string Issuer, string Audience, string NameClaim = "sub", string RolesClaim = "tend_roles", string? ClientId = null)
{
    public const string Scheme = "oidc";

    public void AddTo(IServiceCollection services)
    {
        var authentication = services.AddAuthentication().AddJwtBearer(Scheme, o =>
        {
            o.Authority = Issuer;
            o.Audience = Audience;
            o.RequireHttpsMetadata = HttpsOnly;
            o.MapInboundClaims = false; // claims as the provider names them
            o.TokenValidationParameters.NameClaimType = NameClaim;
            o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            o.Events = new JwtBearerEvents { OnChallenge = c => { c.HandleResponse(); return Task.CompletedTask; } }; // the access check answers
        });
        if (ClientId is not null)
            ProviderSignIn.AddTo(authentication, this);
    }

    /// <summary>Whether the provider's tokens are fetched over HTTPS only: always, but for an issuer on plain HTTP (a test's, on this machine).</summary>
    internal bool HttpsOnly => Issuer.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The caller a provider's token proves; one that does not validate is <see cref="ErrorCode.Unauthenticated"/>, saying why without quoting it.</summary>
    internal async Task<Caller> ProveAsync(HttpContext http, AccessService access)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal?.FindFirst(NameClaim)?.Value is not { Length: > 0 } name)
            throw new TendException(ErrorCode.Unauthenticated, $"the identity provider's token does not prove anyone: {Why(result)}");
        return await access.CallerAsync(name, $"oidc {Issuer}", Grants(result.Principal, name), http.RequestAborted);
    }

    /// <summary>The roles <paramref name="principal"/>'s roles claim grants <paramref name="name"/>.</summary>
    internal IEnumerable<Grant> Grants(ClaimsPrincipal principal, string name) =>
        principal.FindAll(RolesClaim).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(value =>
        {
            var at = value.LastIndexOf(':');
            var (project, role) = at < 0 ? (Grant.AllProjects, value) : (value[..at], value[(at + 1)..]);
            return Enum.GetNames<Role>().Contains(role, StringComparer.OrdinalIgnoreCase) // a role's name, never a number
                ? new Grant(name, project, Enum.Parse<Role>(role, ignoreCase: true), DateTimeOffset.UnixEpoch, Issuer) : null;
        }).OfType<Grant>();

    private string Why(AuthenticateResult result) => result.Failure switch
    {
        null when result.Succeeded => $"it has no '{NameClaim}' claim",
        null => "it is not a token this server takes",
        SecurityTokenExpiredException => "it has expired",
        SecurityTokenInvalidAudienceException => $"it is not for audience '{Audience}'",
        SecurityTokenInvalidIssuerException => $"it is not from issuer {Issuer}",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "its signature does not verify with the issuer's keys",
        _ => "it does not validate",
    };
}
