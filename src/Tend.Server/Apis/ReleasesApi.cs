using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Releases;
using Tend.Pipelines.Services;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>Releases over HTTP: a model's release with its checks and decisions, starting one, and what a person does to it; the actor is the request's.</summary>
public static class ReleasesApi
{
    public sealed record StartBody(int Version, string Reason = "");
    public sealed record ReasonBody(string Reason = "");

    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/releases");
        api.MapGet("/{model}", async (string model, HttpContext http, Workspace ws, ProjectService projects, CancellationToken ct) =>
            {
                using var releases = await ControllerAsync(model, http, ws, projects, ct);
                return TypedResults.Ok(await releases.StatusAsync(model, ct));
            }).WithName("Release").In(Permission.Read, Needs.Route("model"))
            .WithSummary("The model's active release (else its latest): state, step, every decision with the values of its checks.");
        api.MapPost("/{model}", async (string model, StartBody body, HttpContext http, Workspace ws, ProjectService projects, CancellationToken ct) =>
            {
                using var releases = await ControllerAsync(model, http, ws, projects, ct);
                return TypedResults.Ok(await releases.StartAsync(model, body.Version, body.Reason, automatic: false, ct));
            }).WithName("StartRelease").In(Permission.Deploy, Needs.Route("model")).DisableAntiforgery()
            .WithSummary("Release {version} against the champion under tend.yaml's release: policy; a newer challenger supersedes the active release.");
        api.MapPost("/{model}/{action}", async (string model, string action, ReasonBody body, HttpContext http, Workspace ws, ProjectService projects, CancellationToken ct) =>
            {
                var act = Enum.GetValues<ReleaseAction>().FirstOrDefault(a => a.ToString().Equals(action, StringComparison.OrdinalIgnoreCase), (ReleaseAction)(-1));
                if (!Enum.IsDefined(act))
                    throw Core.Errors.TendException.BadField("action", $"'{Core.Domain.TextLimit.Excerpt(action, 40)}' is not something done to a release; one of: {string.Join(", ", Enum.GetNames<ReleaseAction>().Select(n => n.ToLowerInvariant()))}");
                using var releases = await ControllerAsync(model, http, ws, projects, ct);
                return TypedResults.Ok(await releases.ActAsync(model, act, body.Reason, ct));
            }).WithName("ActOnRelease").In(Permission.Deploy, Needs.Route("model")).DisableAntiforgery()
            .WithSummary("pause, resume, abort (the champion serves everything), promote (now, gates and approval apply) or approve (a second person) the model's active release.");
        return app;
    }

    /// <summary>The release controller of the model's project, acting as the caller.</summary>
    private static async Task<ReleaseController> ControllerAsync(string model, HttpContext http, Workspace ws, ProjectService projects, CancellationToken ct) =>
        new(ws.For(await projects.GetAsync(model, ct)).As(RequestActor.Of(http)));
}
