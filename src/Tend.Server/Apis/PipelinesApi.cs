using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines.Services;
using Tend.Pipelines.Triggers;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>A project's pipeline runs; starting a pipeline through its webhook trigger (Prometheus Alertmanager's format too); cancelling a run.</summary>
public static class PipelinesApi
{
    /// <summary>What a webhook call did: started a run, left one waiting for the active one, or nothing (and why, as the audit trail has it).</summary>
    public sealed record WebhookAnswer(string Pipeline, string Fired, string Trigger);

    /// <summary>Why a run is cancelled, for the audit trail.</summary>
    public sealed record CancelBody(string Reason = "");

    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/projects/{project}/pipelines");
        api.MapGet("/runs", async (string project, PipelineService pipelines, CancellationToken ct) => TypedResults.Ok(await pipelines.ListAsync(ct, project)))
            .WithName("PipelineRuns").In(Permission.Read, Needs.Route("project")).WithSummary("The project's pipeline runs, oldest first, running ones with their steps so far.");
        api.MapPost("/runs/{id}/cancel", async (string project, string id, [FromBody] CancelBody? body, HttpContext http, PipelineService pipelines, CancellationToken ct) =>
                TypedResults.Ok(await pipelines.CancelAsync(await RunOfAsync(project, id, pipelines, ct), RequestActor.Of(http), body?.Reason ?? "", ct)))
            .DisableAntiforgery().WithName("CancelPipelineRun").In(Permission.Contribute, Needs.Route("project"))
            .WithSummary("Ask the process running a pipeline run to cancel it (it stops within seconds); 409 if it is not running.");
        api.MapPost("/{pipeline}/runs", WebhookAsync).WithBodyLimit().DisableAntiforgery().WithName("StartPipeline").In(Permission.Contribute, Needs.Route("project"))
            .Accepts<JsonElement>("application/json").Produces<WebhookAnswer>(StatusCodes.Status202Accepted)
            .WithSummary("Start a pipeline through its 'webhook: true' trigger: any body, or Prometheus Alertmanager's webhook (a 'resolved' notification starts nothing). 202 with what it did.");
        return app;
    }

    private static async Task<string> RunOfAsync(string project, string id, PipelineService pipelines, CancellationToken ct)
    {
        var run = await pipelines.GetAsync(id, ct);
        return run.Project is null || run.Project == project ? run.Id : throw TendException.NotFound($"project '{project}' has no pipeline run '{id}'");
    }

    private static async Task<IResult> WebhookAsync(string project, string pipeline, HttpContext http, PipelineTriggerHost host, CancellationToken ct)
    {
        var triggers = await host.ForAsync(project, ct) ?? throw new TendException(ErrorCode.Conflict, $"no pipeline of project '{project}' has triggers in its tend.yaml");
        var caller = RequestActor.Of(http);
        var why = await WhyAsync(http.Request, caller, ct);
        if (why is null)
            return TypedResults.Accepted((string?)null, new WebhookAnswer(pipeline, "ignored", "webhook: Alertmanager says the alerts are resolved"));
        var fired = await triggers.WebhookAsync(pipeline, why, caller);
        return TypedResults.Accepted((string?)null, new WebhookAnswer(pipeline, fired.ToString().ToLowerInvariant(), $"webhook: {why}"));
    }

    /// <summary>What the call says of itself: Alertmanager's firing alerts by name, or the caller; null for Alertmanager's "resolved".</summary>
    private static async Task<string?> WhyAsync(HttpRequest request, string caller, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        if (body.Length == 0)
            return $"called by {caller}";
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body.ToArray()).RootElement;
        }
        catch (JsonException e)
        {
            throw TendException.BadUsage($"the body is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): send none, any JSON object, or Alertmanager's webhook");
        }
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("alerts", out var alerts) || alerts.ValueKind != JsonValueKind.Array)
            return $"called by {caller}";
        var status = json.TryGetProperty("status", out var s) ? s.GetString() : null;
        if (status == "resolved")
            return null;
        var names = alerts.EnumerateArray()
            .Select(a => a.TryGetProperty("labels", out var labels) && labels.TryGetProperty("alertname", out var name) ? name.GetString() : null)
            .OfType<string>().Distinct().ToList();
        var receiver = json.TryGetProperty("receiver", out var r) ? $" to receiver {r.GetString()}" : "";
        return $"Alertmanager{receiver}, called by {caller}: {status ?? "firing"} {string.Join(", ", names)} ({alerts.GetArrayLength()} alerts)";
    }
}
