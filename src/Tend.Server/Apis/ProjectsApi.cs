using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tend.Core.Identity;
using Tend.Pipelines.Services;
using Tend.Server.Access;

namespace Tend.Server.Apis;

/// <summary>The projects this server's store holds, each at its current tend.yaml revision, and a project's revisions.</summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/projects");
        api.MapGet("", async (HttpContext http, ProjectService projects, CancellationToken ct) => TypedResults.Ok(http.Readable(await projects.ListAsync(ct), p => p.Name)))
            .WithName("Projects").InAnyProject(Permission.Read).WithSummary("Every project in the store, by name: its current revision (text, when, by whom, from which folder) and its spec as loaded.");
        api.MapGet("/{name}", async (string name, ProjectService projects, CancellationToken ct) => TypedResults.Ok(await projects.GetAsync(name, ct)))
            .WithName("StoredProject").In(Permission.Read, Needs.Route("name")).WithSummary("One project at its current revision.");
        api.MapGet("/{name}/revisions", async (string name, ProjectService projects, CancellationToken ct) => TypedResults.Ok(await projects.HistoryAsync(name, ct)))
            .WithName("ProjectRevisions").In(Permission.Read, Needs.Route("name")).WithSummary("Every tend.yaml revision the project has had, oldest first; the audit trail (subject project:NAME) says who changed what, and when.");
        return app;
    }
}
