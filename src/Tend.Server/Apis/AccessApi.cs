using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines.Services;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>
/// Identity over HTTP: who the caller is; API tokens (a caller makes, lists and revokes their own; an admin of every
/// project anyone's, and service accounts'); the roles granted per project (an admin of the project changes them).
/// </summary>
public static class AccessApi
{
    public sealed record Identity(string Name, string Via, IReadOnlyList<Grant> Grants, IReadOnlyList<Permission>? Scopes);

    /// <summary>A token made: <see cref="Secret"/> is shown this once.</summary>

    /// <summary>A token to make; <see cref="Scopes"/> are permission names (read, predict, contribute, approve, deploy, admin).</summary>
    public sealed record TokenBody(string Name, string? Subject = null, TokenKind Kind = TokenKind.Person, IReadOnlyList<string>? Scopes = null, int? Days = null);

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/whoami", (HttpContext http) =>
            {
                var caller = http.Caller();
                return TypedResults.Ok(new Identity(caller.Name, caller.Via, caller.Grants, caller.Scopes?.Order().ToList()));
            }).SignedIn().WithName("WhoAmI").WithSummary("The caller: name, how they were proven, their grants and the token's scopes.");

        var tokens = app.MapGroup("/api/v1/tokens");
        tokens.MapGet("", async (HttpContext http, AccessService access, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var all = await access.TokensAsync(ct);
                return TypedResults.Ok(caller.MayEverywhere(Permission.Admin) ? all : all.Where(t => t.Subject == caller.Name).ToList());
            }).SignedIn().WithName("Tokens").WithSummary("Tokens, newest first, never a secret: the caller's own, or everyone's for an admin of every project.");
        tokens.MapPost("", async (TokenBody body, HttpContext http, AccessService access, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var request = new TokenRequest(body.Name, body.Subject ?? caller.Name, body.Kind, body.Scopes?.Select(s => Choice.Parse<Permission>("scopes", s)).ToList(), body.Days);
                if ((request.Subject != caller.Name || request.Kind == TokenKind.Service) && !caller.MayEverywhere(Permission.Admin))
                    throw new TendException(ErrorCode.NotAllowed, $"{caller.Name} may make tokens for themselves only: a service account's, or another's, is for an admin of every project");
                var made = await access.CreateTokenAsync(request, caller.Name, ct);
                return TypedResults.Created($"/api/v1/tokens/{made.Token.Id}", made);
            }).SignedIn().WithName("CreateToken").DisableAntiforgery()
            .WithSummary("Make a token: {name, subject (default: the caller), kind: person | service, scopes, days (1–366, default 90)}; 201 with the secret, shown once.");
        tokens.MapDelete("/{id}", async (string id, HttpContext http, AccessService access, CancellationToken ct) =>
            {
                var caller = http.Caller();
                var token = await access.TokenAsync(id, ct);
                if (token.Subject != caller.Name && !caller.MayEverywhere(Permission.Admin))
                    throw TendException.NotFound($"no token has id '{id}' among {caller.Name}'s"); // another's token is not shown, so not revoked either
                return TypedResults.Ok(await access.RevokeTokenAsync(id, caller.Name, ct));
            }).SignedIn().WithName("RevokeToken").WithSummary("Revoke a token: it stops authenticating within seconds, on every server.");

        var grants = app.MapGroup("/api/v1/access");
        grants.MapGet("", async (string? subject, HttpContext http, AccessService access, CancellationToken ct) =>
            {
                var projects = http.Caller().Projects(Permission.Admin);
                var all = await access.GrantsAsync(subject, ct);
                return TypedResults.Ok(projects is null ? all : all.Where(g => projects.Contains(g.Project)).ToList());
            }).InAnyProject(Permission.Admin).WithName("Grants").WithSummary("Roles granted, by subject (?subject= for one): those in the projects the caller administers.");
        grants.MapPost("", (GrantBody body, HttpContext http, AccessService access, CancellationToken ct) =>
            {
                http.Require(Permission.Admin, body.Project);
                return SetAsync(body.Project, body.Subject, body.Role, true, http, access, ct);
            })
            .InAnyProject(Permission.Admin).WithName("Grant").DisableAntiforgery()
            .WithSummary("Grant a role: {subject, project (or * for every project), role: viewer | contributor | approver | deployer | admin}; an admin of that project may.");
        grants.MapDelete("/{project}/{subject}/{role}", (string project, string subject, string role, HttpContext http, AccessService access, CancellationToken ct) =>
                SetAsync(project, subject, role, false, http, access, ct))
            .In(Permission.Admin, Needs.Route("project")).WithName("RevokeGrant").WithSummary("Take a role back.");
        return app;
    }

    public sealed record GrantBody(string Subject, string Project, string Role);


    private static async Task<Ok<GrantChange>> SetAsync(string project, string subject, string role, bool granted, HttpContext http, AccessService access, CancellationToken ct) =>
        TypedResults.Ok(await access.SetGrantAsync(subject, project, Choice.Parse<Role>("role", role), granted, RequestActor.Of(http), ct));
}
