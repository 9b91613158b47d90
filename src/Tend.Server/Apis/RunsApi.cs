using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Stores;
using Tend.Pipelines;
using Tend.Pipelines.Services;

namespace Tend.Server.Apis;

/// <summary>
/// Runs over HTTP: the paged, filtered list, one run, a metric's downsampled history, comparison and deletion; and the
/// tracking calls the .NET SDK makes (start, log, artifacts, end).
/// </summary>
public static class RunsApi
{
    public const int DefaultMaxPoints = 1000;
    private const int MaxPointsLimit = 100_000;

    /// <summary>How a finished, failed or killed run is reported to <c>POST /runs/{id}/end</c>.</summary>
    public sealed record RunEnd(RunStatus Status, string? Error = null);

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/runs");
        api.MapGet("", ListAsync).WithName("Runs")
            .WithSummary("A page of runs: ?where=metrics.auc > 0.9 and params.trainer = 'lightgbm'&order_by=metrics.auc desc&offset=0&limit=50&project=NAME; newest first by default.");
        api.MapGet("/compare", CompareAsync).WithName("CompareRuns")
            .WithSummary("Runs side by side (?ids=A,B,… and diff_only=true); mean ± std over runs that differ only by seed.");
        api.MapGet("/{id}", (string id, RunService runs, CancellationToken ct) => Json(runs.GetAsync(id, ct))).WithName("Run")
            .WithSummary("One run by id or unique prefix.");
        api.MapGet("/{id}/metrics/{key}", HistoryAsync).WithName("RunMetric")
            .WithSummary("A metric's history (step, value, timestamp), downsampled on the server to at most ?max_points= (default 1000) step ranges, each with its mean, min and max.");
        api.MapDelete("/{id}", (string id, HttpContext http, Workspace ws, CancellationToken ct) => Json(RunDeletion.DeleteAsync(ws, id, RequestActor.Of(http), ct)))
            .WithName("DeleteRun").WithSummary("Delete a run and the artifacts nothing else references; 409 while it runs or is registered as a model version.");

        api.MapPost("", async (HttpRequest request, Workspace ws, CancellationToken ct) =>
                TypedResults.Json(await RunTracking.StartAsync(ws.As(request.HttpContext), await ReadAsync<RunStart>(request, ct), ct), TendJson.Options, statusCode: StatusCodes.Status201Created))
            .WithName("StartRun").DisableAntiforgery().WithSummary("Start a run: {project, name, parent, dataset, params, tags, environment}; 201 with the run.");
        api.MapPost("/{id}/log", async (string id, HttpRequest request, RunService runs, CancellationToken ct) =>
            {
                await runs.LogAsync(id, await ReadAsync<RunLog>(request, ct), ct);
                return Results.NoContent();
            })
            .WithName("LogToRun").DisableAntiforgery()
            .WithSummary("Add params, tags, a note, and metric values column-wise ({metrics: [{key, values, steps, timestamps}]}); a 'sequence' makes a retry harmless.");
        api.MapPut("/{id}/artifacts/{**path}", async (string id, string path, HttpRequest request, Workspace ws, CancellationToken ct) =>
            {
                var (stored, artifact, bytes) = await RunTracking.PutArtifactAsync(ws, id, path, request.Body, ct);
                return TypedResults.Json(new { path = stored, artifact, bytes }, TendJson.Options, statusCode: StatusCodes.Status201Created);
            })
            .WithName("PutRunArtifact").DisableAntiforgery().WithSummary("Store the body as the run's artifact at that path, content-addressed (files/SHA256).");
        api.MapGet("/{id}/artifacts/{**path}", GetArtifactAsync).WithName("GetRunArtifact").WithSummary("An artifact of the run, by its path in the run.");
        api.MapPost("/{id}/end", async (string id, HttpRequest request, Workspace ws, CancellationToken ct) =>
            {
                var end = await ReadAsync<RunEnd>(request, ct);
                return PredictApi.Json(await RunTracking.EndAsync(ws.As(request.HttpContext), id, end.Status, end.Error, ct));
            })
            .WithName("EndRun").DisableAntiforgery().WithSummary("End a running run: {status: finished | failed | killed, error}.");
        return app;
    }

    private static async Task<IResult> ListAsync(string? where, [FromQuery(Name = "order_by")] string? orderBy, int? offset, int? limit, string? project,
        RunService runs, CancellationToken ct) =>
        PredictApi.Json(await runs.QueryAsync(RunQuery.Parse(project, where, orderBy, offset ?? 0, limit ?? RunQuery.DefaultLimit), ct));

    private static async Task<IResult> HistoryAsync(string id, string key, [FromQuery(Name = "max_points")] int? maxPoints, RunService runs, CancellationToken ct)
    {
        if (maxPoints is < 2 or > MaxPointsLimit)
            throw TendException.BadUsage($"max_points must be between 2 and {MaxPointsLimit}, got {maxPoints}");
        return PredictApi.Json(await runs.HistoryAsync(id, key, maxPoints ?? DefaultMaxPoints, ct));
    }

    private static async Task<IResult> GetArtifactAsync(string id, string path, RunService runs, CancellationToken ct) =>
        Results.Stream(await runs.ArtifactAsync(id, path, ct), "application/octet-stream", Path.GetFileName(path));

    private static async Task<IResult> CompareAsync(string? ids, [FromQuery(Name = "diff_only")] bool? diffOnly, RunService runs, CancellationToken ct) =>
        PredictApi.Json(await runs.CompareAsync((ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), diffOnly ?? false, ct));

    internal static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class =>
        await System.Text.Json.JsonSerializer.DeserializeAsync<T>(request.Body, TendJson.Options, ct) ?? throw TendException.BadUsage($"the body must be a JSON {typeof(T).Name}, got null");

    private static async Task<IResult> Json<T>(Task<T> value) => PredictApi.Json(await value);
}
