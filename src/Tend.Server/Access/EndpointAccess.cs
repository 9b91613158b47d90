using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Errors;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Pipelines.Services;
using Tend.Registry;

namespace Tend.Server.Access;

/// <summary>Where an endpoint's project comes from, and so whose roles count.</summary>
public enum AccessScope
{
    /// <summary>Anyone, signed in or not: health, the OpenAPI document, static files, the sign-in page.</summary>
    Public,

    /// <summary>The permission in the project <see cref="EndpointAccess.Project"/> finds from the request.</summary>
    Project,

    /// <summary>The permission in at least one project; the endpoint lists only what is in those (<see cref="Caller.Projects"/>).</summary>
    AnyProject,

    /// <summary>The permission in every project (a grant on <c>*</c>): what spans the store (the audit trail, metrics, others' tokens).</summary>
    Everywhere,

    /// <summary>Any proven caller: what concerns only themselves (who am I, my own tokens).</summary>
    SignedIn,
}

/// <summary>
/// What an endpoint needs, declared where it is mapped; every endpoint declares one (a test walks the routing table),
/// and one that does not is refused to all but admins of every project.
/// </summary>
public sealed record EndpointAccess(AccessScope Scope, Permission Permission, ProjectOf? Project = null)
{
    /// <summary>What an endpoint that declares nothing needs: a mistake, so as much as there is.</summary>
    public static readonly EndpointAccess Undeclared = new(AccessScope.Everywhere, Permission.Admin);

    public override string ToString() => Scope switch
    {
        AccessScope.Public => "public",
        AccessScope.SignedIn => "signed in",
        AccessScope.Everywhere => $"{Needs.Name(Permission)} in every project",
        AccessScope.AnyProject => $"{Needs.Name(Permission)} in some project",
        _ => $"{Needs.Name(Permission)} in {Project!.Description}",
    };
}

/// <summary>Where a request's project is found, as the security docs name it (<c>{name}</c>, the run's project).</summary>
public sealed record ProjectOf(string Description, Func<HttpContext, Task<string>> Find);

/// <summary>How endpoints declare their <see cref="EndpointAccess"/>, and where a project is found in a request.</summary>
public static class Needs
{
    /// <summary>The web UI's session cookie proves the caller here too: its pages, and the API pages they link to (a model card, an evaluation report, a run's artifact).</summary>
    public static TBuilder SessionCounts<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new SessionPage());

    public static TBuilder Public<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new EndpointAccess(AccessScope.Public, Permission.Read));

    public static TBuilder SignedIn<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new EndpointAccess(AccessScope.SignedIn, Permission.Read));

    public static TBuilder Everywhere<TBuilder>(this TBuilder endpoint, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new EndpointAccess(AccessScope.Everywhere, permission));

    public static TBuilder InAnyProject<TBuilder>(this TBuilder endpoint, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new EndpointAccess(AccessScope.AnyProject, permission));

    /// <summary>The permission in the project <paramref name="project"/> finds (<see cref="Route"/>, <see cref="Served"/>, <see cref="OfRun"/>…).</summary>
    public static TBuilder In<TBuilder>(this TBuilder endpoint, Permission permission, ProjectOf project) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new EndpointAccess(AccessScope.Project, permission, project));

    /// <summary>The project named by a route value: a model's name, or a reference's (<c>NAME@VERSION</c>, <c>NAME@ALIAS</c>).</summary>
    public static ProjectOf Route(string parameter) => new($"{{{parameter}}}", http =>
        Task.FromResult(ModelReference.NameOf(http.Request.RouteValues[parameter]?.ToString() ?? "")));

    /// <summary>The served workspace's project: what its datasets, monitor reports, pipelines and MLflow's /invocations belong to.</summary>
    public static readonly ProjectOf Served = new("the served project", http => Task.FromResult(Service<Workspace>(http).Spec.Name));

    public static ProjectOf OfRun(string parameter) => new("the run's project", http =>
        Service<RunService>(http).ProjectOfAsync(Value(http, parameter), http.RequestAborted));

    public static ProjectOf OfApproval(string parameter) => new("the request's model", async http =>
        (await Service<ModelRegistry>(http).ApprovalAsync(Value(http, parameter), http.RequestAborted)).Model);

    public static ProjectOf OfAlert(string parameter) => new("the alert's model", async http =>
        (await Service<MonitoringService>(http).AlertAsync(Value(http, parameter), http.RequestAborted)).Model);

    public static ProjectOf OfEvaluation(string parameter) => new("the evaluated run's project", async http =>
    {
        var runs = Service<RunService>(http);
        return await runs.ProjectOfAsync((await runs.EvaluationAsync(Value(http, parameter), http.RequestAborted)).RunId, http.RequestAborted);
    });

    /// <summary>
    /// Insists the caller holds <paramref name="permission"/> in <paramref name="project"/>: for a project a request
    /// names in its body (a run to start, a run to register), where the endpoint declared the least it needs.
    /// </summary>
    public static void Require(this HttpContext http, Permission permission, string project)
    {
        var caller = http.Caller();
        if (!caller.May(permission, project))
            throw new TendException(ErrorCode.NotAllowed, $"{caller.Name} may not {Name(permission)} in project '{project}': {Holders(permission)} may");
    }

    /// <summary>What of a list the caller may read: the items of the projects they hold a role in, before anything is answered.</summary>
    public static IReadOnlyList<T> Readable<T>(this HttpContext http, IReadOnlyList<T> items, Func<T, string> project) =>
        http.Caller().Projects(Permission.Read) is { } readable ? items.Where(i => readable.Contains(project(i))).ToList() : items;

    /// <summary>The roles that hold <paramref name="permission"/>, as an error names them.</summary>
    internal static string Holders(Permission permission) =>
        string.Join(" or ", Enum.GetValues<Role>().Where(r => r.Permissions().Contains(permission)).Select(r => r.ToString().ToLowerInvariant()));

    internal static string Name(Permission permission) => permission.ToString().ToLowerInvariant();


    /// <summary>A route value, else a query parameter, of that name.</summary>
    private static string Value(HttpContext http, string parameter) => http.Request.RouteValues[parameter]?.ToString() ?? http.Request.Query[parameter].ToString();

    private static T Service<T>(HttpContext http) where T : notnull => http.RequestServices.GetRequiredService<T>();
}
