using Microsoft.AspNetCore.Http;
using Tend.Core.Identity;
using Tend.Pipelines;

namespace Tend.Server;

/// <summary>
/// Who makes a request: the identity the access check proved (a token, an identity provider's token, the web UI's
/// session), never a header or a field the client chose. Its name is the actor of everything the request changes.
/// </summary>
public static class RequestActor
{
    private static readonly object Key = new();

    internal static void Set(HttpContext http, Caller caller) => http.Items[Key] = caller;

    /// <summary>The proven caller; null on a public endpoint called without credentials.</summary>
    public static Caller? CallerOrNull(this HttpContext http) => http.Items[Key] as Caller;

    public static Caller Caller(this HttpContext http) =>
        http.CallerOrNull() ?? throw new InvalidOperationException($"{http.Request.Path} acts for someone but declares public access");

    public static string Of(HttpContext http) => http.Caller().Name;

    /// <summary>The workspace acting as the request's caller.</summary>
    public static Workspace As(this Workspace ws, HttpContext http) => ws.As(Of(http));
}
