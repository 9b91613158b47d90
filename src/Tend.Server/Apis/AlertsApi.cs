using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Pipelines;
using Tend.Pipelines.Stages;

namespace Tend.Server.Apis;

/// <summary>The alert history, and acknowledging an alert (as the request's actor, audited).</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts");
        api.MapGet("", async (Workspace ws, bool? all, CancellationToken ct) =>
                PredictApi.Json((await ws.Store.Alerts.ListAsync(ct)).Where(a => all == true || a.Open).ToList()))
            .WithName("Alerts").WithSummary("Alerts the monitor's rules fired, newest first: open ones, or all with ?all=true.");
        api.MapPost("/{id}/ack", async (string id, HttpContext http, Workspace ws, CancellationToken ct) =>
                PredictApi.Json(await AlertStage.AcknowledgeAsync(ws.Store.Alerts, id, RequestActor.Of(http), http.Request.Query["reason"].ToString(), ct)))
            .WithName("AcknowledgeAlert").WithSummary("Acknowledge an alert (?reason=…): 404 if unknown, 409 if already acknowledged.");
        return app;
    }
}
