using Microsoft.AspNetCore.Http;
using Tend.Pipelines;

namespace Tend.Server;

/// <summary>
/// Who makes a request: the authenticated identity's name once authentication is configured (a later issue); until then
/// the <c>X-Tend-Actor</c> header, else <c>anonymous</c>. With no authentication the header is trusted as given, so the
/// four-eyes rule over HTTP is only as strong as the network boundary (docs/governance.md).
/// </summary>
public static class RequestActor
{
    public const string Header = "X-Tend-Actor";
    public const string Anonymous = "anonymous";

    public static string Of(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name
        : http.Request.Headers[Header].ToString() is { Length: > 0 } header ? header
        : Anonymous;

    /// <summary>The workspace acting as the request's actor.</summary>
    public static Workspace As(this Workspace ws, HttpContext http) => ws.As(Of(http));
}
