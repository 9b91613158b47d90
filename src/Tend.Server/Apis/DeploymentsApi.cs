using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>Deployments over HTTP: a model's canary and shadow, its traffic per route, promoting the canary and rolling back; the actor is the request's.</summary>
public static class DeploymentsApi
{
    public sealed record DeployBody(int? Canary = null, double? Percent = null, int? Shadow = null, string Reason = "");
    public sealed record PromoteCanaryBody(string Reason = "", bool Force = false);
    public sealed record ReasonBody(string Reason = "");

    public static IEndpointRouteBuilder MapDeploymentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/deployments");
        api.MapGet("/{model}", async (string model, TimeSpan? window, Workspace ws, CancellationToken ct) =>
                TypedResults.Ok(await DeploymentStatus.OfAsync(ws, model, window ?? TimeSpan.FromDays(1), ct)))
            .WithName("Deployment").In(Permission.Read, Needs.Route("model")).WithSummary("The model's deployment and each route's traffic in the window (?window=1.00:00:00 by default): versions, shares, latency, shadow agreement.");
        api.MapPut("/{model}", async (string model, DeployBody body, HttpContext http, Deployments deployments, CancellationToken ct) =>
                TypedResults.Ok(await deployments.SetAsync(model, body.Canary, body.Percent, body.Shadow, RequestActor.Of(http), body.Reason, ct))).WithName("Deploy").In(Permission.Deploy, Needs.Route("model")).DisableAntiforgery().WithSummary("Set a canary {canary, percent} and/or a shadow {shadow}, with a reason; a running server follows within a second.");
        api.MapPost("/{model}/promote-canary", async (string model, PromoteCanaryBody body, HttpContext http, Deployments deployments, Workspace ws, CancellationToken ct) =>
            {
                if (body.Force)
                    http.Require(Permission.Admin, model); // forcing past failed gates is an admin's
                return TypedResults.Ok(await deployments.PromoteCanaryAsync(model, RequestActor.Of(http), body.Reason, ws.Spec.Approval, body.Force, ct));
            }).WithName("PromoteCanary").In(Permission.Deploy, Needs.Route("model")).DisableAntiforgery().WithSummary("Make the canary the champion (gates and approval apply) and end the canary.");
        api.MapPost("/{model}/rollback", async (string model, ReasonBody body, HttpContext http, Deployments deployments, CancellationToken ct) =>
                TypedResults.Ok(await deployments.RollbackAsync(model, RequestActor.Of(http), body.Reason, ct))).WithName("RollbackDeployment").In(Permission.Deploy, Needs.Route("model")).DisableAntiforgery().WithSummary("End the canary and the shadow: the champion serves everything.");
        return app;
    }
}
