using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>The alert history, and acknowledging an alert (as the request's actor, audited).</summary>
public static class AlertsApi
{
    /// <summary>Why an alert is acknowledged; <c>?reason=</c> still works for a request without a body.</summary>
    public sealed record Acknowledgement(string Reason = "");

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts");
        api.MapGet("", async (HttpContext http, MonitoringService monitoring, bool? all, CancellationToken ct) =>
                TypedResults.Ok(http.Readable(await monitoring.AlertsAsync(all == true, ct), a => a.Model)))
            .WithName("Alerts").InAnyProject(Permission.Read).WithSummary("Alerts the monitor's rules fired, newest first: open ones, or all with ?all=true.");
        api.MapPost("/{id}/ack", async (string id, [FromBody] Acknowledgement? body, string? reason, HttpContext http, MonitoringService monitoring, CancellationToken ct) =>
                TypedResults.Ok(await monitoring.AcknowledgeAsync(id, RequestActor.Of(http), body?.Reason ?? reason ?? "", ct)))
            .DisableAntiforgery().WithName("AcknowledgeAlert").In(Permission.Contribute, Needs.OfAlert("id")).WithSummary("Acknowledge an alert ({reason}, or ?reason=…): 404 if unknown, 409 if already acknowledged.");
        return app;
    }
}
