using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Core.Reports;
using Tend.Evaluation;
using Tend.Evaluation.Fairness;
using Tend.Evaluation.Gates;
using Tend.Evaluation.Reports;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>Evaluations over HTTP: evaluate a run or version, list a run's evaluations, and read one's full report as JSON or as the self-contained HTML page.</summary>
public static class EvaluationsApi
{
    public sealed record EvaluateBody(string Target, string? Data = null);

    /// <summary>What <c>POST /evaluations</c> answers: the verdict first, then the full report.</summary>
    public sealed record Evaluated(string EvaluationId, bool Passed, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<GateResult> Gates,
        IReadOnlyDictionary<string, FairnessResult> Fairness, EvaluationReport Report);

    /// <summary>One evaluation and its full report.</summary>
    public sealed record EvaluationWithReport(EvaluationRecord Record, EvaluationReport Report);

    public static IEndpointRouteBuilder MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/evaluations");
        api.MapPost("", async (EvaluateBody body, HttpContext http, Workspace ws, CancellationToken ct) =>
            {
                if (body.Data is { } data && File.Exists(data))
                    throw TendException.BadUsage("over HTTP, 'data' names a dataset version; evaluate on a file with the CLI");
                var (report, record) = await EvaluateStage.RunAsync(ws.As(http), body.Target, body.Data, ct);
                return TypedResults.Created((string?)null, new Evaluated(record.Id, report.Passed, report.Metrics, report.Gates, report.Fairness, report));
            }).WithName("Evaluate").In(Permission.Contribute, Needs.Served).DisableAntiforgery()
            .WithSummary("Evaluate {target: RUN | NAME@VERSION, data: VERSION}: 201 with passed, metrics, gates, fairness and the full report (a failed gate is a result, not an error).");
        api.MapGet("", async (string run, RunService runs, CancellationToken ct) => TypedResults.Ok(await runs.EvaluationsAsync(run, ct)))
            .WithName("Evaluations").In(Permission.Read, Needs.OfRun("run")).WithSummary("A run's evaluations, newest first: ?run=ID.");
        api.MapGet("/{id}", async (string id, string? format, Workspace ws, RunService runs, CancellationToken ct) =>
            {
                var record = await runs.EvaluationAsync(id, ct);
                var report = await EvaluateStage.LoadReportAsync(ws, record, ct);
                return format == "html"
                    ? (Results<Ok<EvaluationWithReport>, ContentHttpResult>)TypedResults.Text(ReportHtml.Page(EvaluationDocument.Of(report, ws.Spec)), "text/html; charset=utf-8")
                    : TypedResults.Ok(new EvaluationWithReport(record, report));
            }).Produces<string>(StatusCodes.Status200OK, "text/html").WithName("Evaluation").In(Permission.Read, Needs.OfEvaluation("id")).SessionCounts().WithSummary("One evaluation with its full report; ?format=html for the self-contained HTML page.");
        return app;
    }
}
