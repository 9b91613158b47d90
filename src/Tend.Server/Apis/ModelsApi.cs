using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Reports;
using Tend.Pipelines;
using Tend.Pipelines.Cards;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>The registry over HTTP: versions, registration, promotion under the gates and approval rules, approval requests, rollback and alias history; the actor is the request's (<see cref="RequestActor"/>).</summary>
public static class ModelsApi
{
    public sealed record RegisterBody(string RunId, string? Description = null);
    public sealed record PromoteBody(int Version, string Reason, string Alias = ModelRegistry.Champion, bool Force = false);
    public sealed record DecisionBody(string? Reason = null);
    public sealed record UpdateBody(string? Description = null, Dictionary<string, string>? Tags = null);

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/models");
        api.MapGet("", async (HttpContext http, ModelRegistry registry, CancellationToken ct) => TypedResults.Ok(http.Readable(await registry.ListAsync(ct), m => m.Name))).WithName("Models").InAnyProject(Permission.Read).WithSummary("Model versions with their aliases.");
        api.MapGet("/{reference}", async (string reference, ModelRegistry registry, CancellationToken ct) => TypedResults.Ok(await registry.ResolveAsync(ModelReference.Parse(reference), ct)))
            .WithName("Model").In(Permission.Read, Needs.Route("reference")).WithSummary("One version: NAME (the champion), NAME@VERSION or NAME@ALIAS.");
        api.MapPost("", async (RegisterBody body, HttpContext http, ModelRegistry registry, RunService runs, CancellationToken ct) =>
            {
                var run = await runs.GetAsync(body.RunId, ct);
                http.Require(Permission.Contribute, run.Project);
                return TypedResults.Created((string?)null, await registry.RegisterAsync(run, RequestActor.Of(http), ct, body.Description ?? ""));
            }).WithName("RegisterModel").InAnyProject(Permission.Contribute).DisableAntiforgery().WithSummary("Register a finished run: {run_id, description}; 201 with the version.");
        api.MapPatch("/{reference}", async (string reference, UpdateBody body, HttpContext http, ModelRegistry registry, CancellationToken ct) =>
                TypedResults.Ok(await registry.UpdateAsync(ModelReference.Parse(reference), body.Description, body.Tags ?? [], RequestActor.Of(http), ct))).WithName("UpdateModel").In(Permission.Contribute, Needs.Route("reference")).DisableAntiforgery().WithSummary("Set a version's description and tags: {description, tags: {key: value}} (an empty value removes a tag).");
        api.MapPost("/{name}/promote", async (string name, PromoteBody body, HttpContext http, ModelRegistry registry, Workspace ws, CancellationToken ct) =>
            {
                if (body.Force)
                    http.Require(Permission.Admin, name); // forcing past failed gates is an admin's
                return TypedResults.Ok(await registry.PromoteAsync(name, body.Version, body.Alias, body.Reason, RequestActor.Of(http), ct, ws.Spec.Approval, body.Force));
            }).WithName("PromoteModel").In(Permission.Deploy, Needs.Route("name")).DisableAntiforgery()
            .WithSummary("Point an alias at a version: {version, alias, reason, force}. status done, or pending with a request_id when approval is required; 422 when its gates failed, 403 without a current evaluation.");
        api.MapPost("/{name}/rollback", async (string name, DecisionBody body, HttpContext http, ModelRegistry registry, CancellationToken ct) =>
                TypedResults.Ok(await registry.RollbackAsync(name, body.Reason ?? "", RequestActor.Of(http), ct))).WithName("RollbackModel").In(Permission.Deploy, Needs.Route("name")).DisableAntiforgery().WithSummary("Move champion back to the version before the current one: {reason}.");
        api.MapGet("/{reference}/lineage", async (string reference, ModelRegistry registry, CancellationToken ct) =>
                TypedResults.Ok(await registry.LineageAsync(await registry.ResolveAsync(ModelReference.Parse(reference), ct), ct)))
            .WithName("Lineage").In(Permission.Read, Needs.Route("reference")).WithSummary("Data → run → evaluations → approvals → alias moves of NAME, NAME@VERSION or NAME@ALIAS.");
        api.MapGet("/{reference}/card", async (string reference, string? format, Workspace ws, CancellationToken ct) =>
            {
                var card = await ModelCard.BuildAsync(ws, ModelReference.Parse(reference), ct);
                return format switch
                {
                    null or "md" => TypedResults.Text(ReportMarkdown.Render(card.ToDocument()), "text/markdown; charset=utf-8"),
                    "html" => TypedResults.Text(ReportHtml.Page(card.ToDocument()), "text/html; charset=utf-8"),
                    _ => throw TendException.BadField("format", $"format '{format}' is not one of: md, html", "md", "html"),
                };
            }).Produces<string>(StatusCodes.Status200OK, "text/markdown", "text/html").WithName("ModelCard").In(Permission.Read, Needs.Route("reference")).SessionCounts().WithSummary("The model card of NAME, NAME@VERSION or NAME@ALIAS as Markdown; ?format=html for the self-contained page.");
        api.MapGet("/{name}/history", async (string name, string? alias, ModelRegistry registry, CancellationToken ct) => TypedResults.Ok(await registry.HistoryAsync(name, alias, ct)))
            .WithName("AliasHistory").In(Permission.Read, Needs.Route("name")).WithSummary("Every move of the model's aliases (?alias= for one), oldest first.");

        var approvals = app.MapGroup("/api/v1/approvals");
        approvals.MapGet("", async (string? status, HttpContext http, ModelRegistry registry, CancellationToken ct) =>
                TypedResults.Ok(http.Readable(await registry.ApprovalsAsync(status is null ? null : Choice.Parse<ApprovalStatus>("status", status), ct), r => r.Model)))
            .WithName("ApprovalRequests").InAnyProject(Permission.Read).WithSummary("Approval requests, oldest first; ?status=pending|approved|rejected.");
        approvals.MapPost("/{id}/approve", (string id, DecisionBody body, HttpContext http, ModelRegistry registry, CancellationToken ct) => DecideAsync(id, true, body, http, registry, ct))
            .WithName("Approve").In(Permission.Approve, Needs.OfApproval("id")).DisableAntiforgery().WithSummary("Approve a pending request: {reason}. 403 when the requester tries (four eyes).");
        approvals.MapPost("/{id}/reject", (string id, DecisionBody body, HttpContext http, ModelRegistry registry, CancellationToken ct) => DecideAsync(id, false, body, http, registry, ct))
            .WithName("Reject").In(Permission.Approve, Needs.OfApproval("id")).DisableAntiforgery().WithSummary("Reject a pending request: {reason}. 403 when the requester tries (four eyes).");
        return app;
    }

    private static async Task<Ok<Promotion>> DecideAsync(string id, bool approve, DecisionBody body, HttpContext http, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.DecideAsync(id, approve, body.Reason ?? "", RequestActor.Of(http), ct));
}
