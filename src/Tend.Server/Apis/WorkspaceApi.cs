using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tend.Pipelines;

namespace Tend.Server.Apis;

/// <summary>Read access to what the CLI shows: the project, runs, models, monitor reports, pipeline runs, audit.</summary>
public static class WorkspaceApi
{
    public static IEndpointRouteBuilder MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/project", (Workspace ws) => PredictApi.Json(ws.Spec)).WithName("Project").WithSummary("The project's tend.yaml, as loaded.");
        api.MapGet("/runs", async (Workspace ws, CancellationToken ct) => PredictApi.Json(await ws.Store.Runs.ListAsync(ct))).WithName("Runs").WithSummary("Training runs, oldest first.");
        api.MapGet("/runs/compare", CompareAsync).WithName("CompareRuns")
            .WithSummary("Runs side by side (?ids=A,B,… and diff_only=true); mean ± std over runs that differ only by seed.");
        api.MapGet("/runs/{id}", GetRunAsync).WithName("Run").WithSummary("One run by id or unique prefix.");
        api.MapDelete("/runs/{id}", async (string id, Workspace ws, CancellationToken ct) => PredictApi.Json(await RunDeletion.DeleteAsync(ws, id, Workspace.Actor, ct)))
            .WithName("DeleteRun").WithSummary("Delete a run and the artifacts nothing else references; 409 while it runs or is registered as a model version.");
        api.MapGet("/models", async (Workspace ws, CancellationToken ct) => PredictApi.Json(await ws.Store.Models.ListAsync(ct))).WithName("Models").WithSummary("Model versions with their aliases.");
        api.MapGet("/monitor/reports", async (Workspace ws, CancellationToken ct) => PredictApi.Json(await ws.Store.Monitors.ListAsync(ct))).WithName("MonitorReports").WithSummary("Monitor reports, oldest first.");
        api.MapGet("/pipelines", async (Workspace ws, CancellationToken ct) => PredictApi.Json(await ws.Store.Pipelines.ListAsync(ct))).WithName("Pipelines").WithSummary("Pipeline runs, oldest first.");
        api.MapGet("/audit", async (Workspace ws, CancellationToken ct) => PredictApi.Json(await ws.Store.Audit.ListAsync(ct))).WithName("Audit").WithSummary("The audit trail, oldest first.");
        return app;
    }

    private static async Task<IResult> CompareAsync(string? ids, [FromQuery(Name = "diff_only")] bool? diffOnly, Workspace ws, CancellationToken ct)
    {
        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted.Length < 2)
            throw Core.Errors.TendException.BadUsage("give two or more run ids as ?ids=A,B");
        var runs = new List<Core.Domain.Run>();
        foreach (var id in wanted)
            runs.Add(await ws.GetRunAsync(id, ct));
        return PredictApi.Json(RunComparison.Of(runs, diffOnly ?? false));
    }

    private static async Task<IResult> GetRunAsync(string id, Workspace ws, CancellationToken ct) =>
        PredictApi.Json(await ws.GetRunAsync(id, ct));
}
