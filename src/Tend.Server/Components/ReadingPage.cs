using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Tend.Core.Identity;
using Tend.Server.Access;

namespace Tend.Server.Components;

/// <summary>
/// A page of the web UI, which shows only what its caller may read. Whoever reads some project may open a page (its
/// endpoint's rule); the page insists on the project it shows before it loads anything, so a refusal is a 403 before
/// a byte of it is sent, and it lists only the readable projects' items, as the API does.
/// </summary>
public abstract class ReadingPage : ComponentBase
{
    [CascadingParameter] public HttpContext Http { get; set; } = null!;

    /// <summary>Ends the request as 403 unless the caller may read <paramref name="project"/> (<see cref="Grant.AllProjects"/>: every project).</summary>
    protected void Reads(string project) => Http.Require(Permission.Read, project);

    /// <summary>The projects the caller may read; null when every project.</summary>
    protected IReadOnlySet<string>? ReadableProjects => Http.Caller().Projects(Permission.Read);

    /// <summary>The items of <paramref name="items"/> in projects the caller may read.</summary>
    protected IReadOnlyList<T> Readable<T>(IReadOnlyList<T> items, Func<T, string> project) => Http.Readable(items, project);
}
