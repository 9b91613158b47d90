using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Evaluation.Reports;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;

namespace Tend.Server.Apis;

/// <summary>Evaluations over HTTP: evaluate a run or version, list a run's evaluations, and read one's full report as JSON or as the self-contained HTML page.</summary>
public static class EvaluationsApi
{
    public sealed record EvaluateBody(string Target, string? Data = null);

    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/evaluations");
        api.MapPost("", async (HttpContext http, Workspace ws, CancellationToken ct) =>
            {
                var body = await RunsApi.ReadAsync<EvaluateBody>(http.Request, ct);
                if (body.Data is { } data && File.Exists(data))
                    throw TendException.BadUsage("over HTTP, 'data' names a dataset version; evaluate on a file with the CLI");
                var (report, record) = await EvaluateStage.RunAsync(ws.As(http), body.Target, body.Data, ct);
                return TypedResults.Json(new { evaluation_id = record.Id, passed = report.Passed, metrics = report.Metrics, gates = report.Gates, fairness = report.Fairness, report },
                    TendJson.Options, statusCode: StatusCodes.Status201Created);
            }).WithName("Evaluate").DisableAntiforgery()
            .WithSummary("Evaluate {target: RUN | NAME@VERSION, data: VERSION}: 201 with passed, metrics, gates, fairness and the full report (a failed gate is a result, not an error).");
        api.MapGet("", async (string run, RunService runs, CancellationToken ct) => PredictApi.Json(await runs.EvaluationsAsync(run, ct)))
            .WithName("Evaluations").WithSummary("A run's evaluations, newest first: ?run=ID.");
        api.MapGet("/{id}", async (string id, string? format, Workspace ws, RunService runs, CancellationToken ct) =>
            {
                var record = await runs.EvaluationAsync(id, ct);
                var report = await EvaluateStage.LoadReportAsync(ws, record, ct);
                return format == "html" ? Results.Content(EvaluationDocument.Page(report, ws.Spec), "text/html; charset=utf-8") : PredictApi.Json(new { record, report });
            }).WithName("Evaluation").WithSummary("One evaluation with its full report; ?format=html for the self-contained HTML page.");
        return app;
    }
}
