using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Pipelines.Stages;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>The project, the monitor (its reports, and a run of it), pipeline runs (the rest: <see cref="RunsApi"/>, <see cref="ModelsApi"/>, <see cref="EvaluationsApi"/>, <see cref="AuditApi"/>, <see cref="DatasetsApi"/>).</summary>
public static class WorkspaceApi
{
    public static IEndpointRouteBuilder MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/project", (Workspace ws) => TypedResults.Ok(ws.Spec)).WithName("Project").In(Permission.Read, Needs.Served).WithSummary("The project's tend.yaml, as loaded.");
        api.MapGet("/monitor/reports", async (MonitoringService monitoring, CancellationToken ct) => TypedResults.Ok(await monitoring.ReportsAsync(ct))).WithName("MonitorReports").In(Permission.Read, Needs.Served).WithSummary("Monitor reports, oldest first.");
        api.MapGet("/monitor/reports/{id}", async (string id, MonitoringService monitoring, CancellationToken ct) => TypedResults.Ok(await monitoring.ReportAsync(id == Latest ? null : id, ct)))
            .WithName("MonitorReport").In(Permission.Read, Needs.Served).WithSummary("One report by its id or its first 6+ characters; 'latest' for the newest.");
        api.MapPost("/monitor/reports", async (MonitorRequest request, HttpContext http, Workspace ws, ILogger<MonitorRequest> logger, CancellationToken ct) =>
                TypedResults.Created((string?)null, await MonitorStage.RunAndAlertAsync(ws.As(http), OverHttp(request), line => logger.LogWarning("{Alert}", line), ct)))
            .WithName("RunMonitor").In(Permission.Contribute, Needs.Served).DisableAntiforgery()
            .WithSummary("Run the monitor: {reference, current, from, to, statistic} as 'tend monitor run' takes them, but dataset versions and windows of the prediction log only, no file on the server; 201 with the report and the alerts it fired.");
        api.MapGet("/pipelines", async (PipelineService pipelines, CancellationToken ct) => TypedResults.Ok(await pipelines.ListAsync(ct))).WithName("Pipelines").In(Permission.Read, Needs.Served).WithSummary("Pipeline runs, oldest first.");
        return app;
    }

    private const string Latest = "latest";

    /// <summary>The request, unless it names a file or folder on the server: a client compares what Tend stores, never what the server's disk holds.</summary>
    private static MonitorRequest OverHttp(MonitorRequest request)
    {
        foreach (var (field, value) in new[] { ("reference", request.Reference), ("current", request.Current) })
            if (value is not null && (value.Contains('/') || value.Contains('\\') || File.Exists(value) || Directory.Exists(value)))
                throw TendException.BadField(field, $"{field} '{TextLimit.Excerpt(value)}' names a path; over HTTP the monitor compares dataset versions (NAME@VERSION) and windows of the prediction log (last:24h, last:5000, FROM..TO)");
        return request;
    }
}
