using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Stores;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Server.Access;

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

    /// <summary>Where <c>PUT /runs/{id}/artifacts/{path}</c> stored the body.</summary>
    public sealed record StoredArtifact(string Path, string Artifact, long Bytes);

    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/runs");
        api.MapGet("", ListAsync).WithName("Runs").InAnyProject(Permission.Read)
            .WithSummary("A page of runs: ?where=metrics.auc > 0.9 and params.trainer = 'lightgbm'&order_by=metrics.auc desc&offset=0&limit=50&project=NAME; newest first by default.");
        api.MapGet("/compare", CompareAsync).WithName("CompareRuns").InAnyProject(Permission.Read)
            .WithSummary("Runs side by side (?ids=A,B,… and diff_only=true); mean ± std over runs that differ only by seed.");
        api.MapGet("/{id}", async (string id, RunService runs, CancellationToken ct) => TypedResults.Ok(await runs.GetAsync(id, ct))).WithName("Run").In(Permission.Read, Needs.OfRun("id"))
            .WithSummary("One run by id or unique prefix.");
        api.MapGet("/{id}/metrics/{key}", HistoryAsync).WithName("RunMetric").In(Permission.Read, Needs.OfRun("id"))
            .WithSummary("A metric's history (step, value, timestamp), downsampled on the server to at most ?max_points= (default 1000) step ranges, each with its mean, min and max.");
        api.MapDelete("/{id}", async (string id, HttpContext http, Workspace ws, CancellationToken ct) => TypedResults.Ok(await RunDeletion.DeleteAsync(ws, id, RequestActor.Of(http), ct)))
            .WithName("DeleteRun").In(Permission.Contribute, Needs.OfRun("id")).WithSummary("Delete a run and the artifacts nothing else references; 409 while it runs or is registered as a model version.");

        api.MapPost("", async (RunStart start, HttpContext http, Workspace ws, CancellationToken ct) =>
            {
                http.Require(Permission.Contribute, start.Project ?? "");
                return TypedResults.Created((string?)null, await RunTracking.StartAsync(ws.As(http), start, ct));
            })
            .WithName("StartRun").InAnyProject(Permission.Contribute).DisableAntiforgery().WithSummary("Start a run: {project, name, parent, dataset, params, tags, environment}; 201 with the run.");
        api.MapPost("/{id}/log", async (string id, RunLog log, RunService runs, CancellationToken ct) =>
            {
                await runs.LogAsync(id, log, ct);
                return TypedResults.NoContent();
            })
            .WithName("LogToRun").In(Permission.Contribute, Needs.OfRun("id")).DisableAntiforgery()
            .WithSummary("Add params, tags, a note, and metric values column-wise ({metrics: [{key, values, steps, timestamps}]}); a 'sequence' makes a retry harmless.");
        api.MapPut("/{id}/artifacts/{**path}", async (string id, string path, HttpRequest request, Workspace ws, CancellationToken ct) =>
            {
                var (stored, artifact, bytes) = await RunTracking.PutArtifactAsync(ws, id, path, request.Body, ct);
                return TypedResults.Created((string?)null, new StoredArtifact(stored, artifact, bytes));
            })
            .Accepts<Stream>("application/octet-stream")
            .WithName("PutRunArtifact").In(Permission.Contribute, Needs.OfRun("id")).DisableAntiforgery().WithSummary("Store the body as the run's artifact at that path, content-addressed (files/SHA256).");
        api.MapGet("/{id}/artifacts/{**path}", GetArtifactAsync).Produces<Stream>(contentType: "application/octet-stream")
            .WithName("GetRunArtifact").In(Permission.Read, Needs.OfRun("id")).SessionCounts().WithSummary("An artifact of the run, by its path in the run.");
        api.MapPost("/{id}/end", async (string id, RunEnd end, HttpContext http, Workspace ws, CancellationToken ct) =>
                TypedResults.Ok(await RunTracking.EndAsync(ws.As(http), id, end.Status, end.Error, ct)))
            .WithName("EndRun").In(Permission.Contribute, Needs.OfRun("id")).DisableAntiforgery().WithSummary("End a running run: {status: finished | failed | killed, error}.");
        return app;
    }

    private static async Task<Ok<RunPage>> ListAsync(string? where, [FromQuery(Name = "order_by")] string? orderBy, int? offset, int? limit, string? project,
        HttpContext http, RunService runs, CancellationToken ct) =>
        TypedResults.Ok(await runs.QueryAsync(RunQuery.Parse(project, where, orderBy, offset ?? 0, limit ?? RunQuery.DefaultLimit) with
        {
            Readable = http.Caller().Projects(Permission.Read),
        }, ct));

    private static async Task<Ok<MetricHistory>> HistoryAsync(string id, string key, [FromQuery(Name = "max_points")] int? maxPoints, RunService runs, CancellationToken ct)
    {
        if (maxPoints is < 2 or > MaxPointsLimit)
            throw TendException.BadUsage($"max_points must be between 2 and {MaxPointsLimit}, got {maxPoints}");
        return TypedResults.Ok(await runs.HistoryAsync(id, key, maxPoints ?? DefaultMaxPoints, ct));
    }

    private static async Task<FileStreamHttpResult> GetArtifactAsync(string id, string path, RunService runs, CancellationToken ct) =>
        TypedResults.Stream(await runs.ArtifactAsync(id, path, ct), "application/octet-stream", Path.GetFileName(path));

    /// <summary>The runs side by side; a run of a project the caller may not read is not found, as if it were not there.</summary>
    private static async Task<Ok<RunComparison>> CompareAsync(string? ids, [FromQuery(Name = "diff_only")] bool? diffOnly, HttpContext http, RunService runs, CancellationToken ct)
    {
        var named = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var caller = http.Caller();
        foreach (var id in named)
            if (!caller.May(Permission.Read, await runs.ProjectOfAsync(id, ct)))
                throw TendException.NotFound($"run '{id}' not found; 'tend runs list' shows the runs");
        return TypedResults.Ok(await runs.CompareAsync(named, diffOnly ?? false, ct));
    }
}
