using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>Read access to what the CLI shows: the project, monitor reports, pipeline runs (the rest: <see cref="RunsApi"/>, <see cref="ModelsApi"/>, <see cref="EvaluationsApi"/>, <see cref="AuditApi"/>, <see cref="DatasetsApi"/>).</summary>
public static class WorkspaceApi
{
    public static IEndpointRouteBuilder MapWorkspaceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/project", (Workspace ws) => TypedResults.Ok(ws.Spec)).WithName("Project").In(Permission.Read, Needs.Served).WithSummary("The project's tend.yaml, as loaded.");
        api.MapGet("/monitor/reports", async (MonitoringService monitoring, CancellationToken ct) => TypedResults.Ok(await monitoring.ReportsAsync(ct))).WithName("MonitorReports").In(Permission.Read, Needs.Served).WithSummary("Monitor reports, oldest first.");
        api.MapGet("/pipelines", async (PipelineService pipelines, CancellationToken ct) => TypedResults.Ok(await pipelines.ListAsync(ct))).WithName("Pipelines").In(Permission.Read, Needs.Served).WithSummary("Pipeline runs, oldest first.");
        return app;
    }
}
