using Tend.Core.Identity;

namespace Tend.Server.Access;

/// <summary>
/// How the server proves who calls it: on (the default, loopback too) or off (<c>tend serve --no-auth</c>, loopback
/// only: everyone acts as <see cref="Anonymous"/>); prediction endpoints open to anyone (tend.yaml's
/// <c>serving.auth: none</c>, which <c>TendServer.Build</c> reads, for a deployment behind a gateway that authenticates);
/// the host names it answers to; the origins a browser may call it from; an OpenID Connect provider whose tokens it takes too.
/// </summary>
public sealed record ServerAccess(bool Off = false, bool OpenPredictions = false, IReadOnlyList<string>? AllowedHosts = null, IReadOnlyList<string>? CorsOrigins = null,
    IdentityProvider? Oidc = null)
{
    public const string AnonymousName = "anonymous";

    /// <summary>Who acts when authentication is off: an admin of every project, as anyone who can reach a loopback server already is.</summary>
    public static readonly Caller Anonymous = new(AnonymousName, "no authentication", [new Grant(AnonymousName, Grant.AllProjects, Role.Admin, DateTimeOffset.UnixEpoch, AnonymousName)]);
}
