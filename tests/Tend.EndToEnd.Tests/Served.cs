using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Identity;
using Tend.Pipelines.Services;
using Tend.Testing;

namespace Tend.EndToEnd.Tests;

/// <summary>Clients of an in-process server, each proven by a real token of its store: the first admin's, or one made for a subject with a role.</summary>
internal static class Served
{
    /// <summary>A client signed in as the store's first admin (<see cref="TendProcess.AdminToken"/>, as <c>tend serve</c> would take it from TEND_ADMIN_TOKEN).</summary>
    public static async Task<HttpClient> AdminAsync(this WebApplication app, string url)
    {
        await app.Services.GetRequiredService<AccessService>().EnsureAdminAsync(TendProcess.AdminToken, "TEND_ADMIN_TOKEN", CancellationToken.None);
        return TendProcess.Client(url);
    }

    /// <summary>A client proven as <paramref name="subject"/>, granted <paramref name="role"/> in <paramref name="project"/> (every project by default).</summary>
    public static async Task<HttpClient> AsAsync(this WebApplication app, string url, string subject, Role role, string project = Grant.AllProjects) =>
        TendProcess.Client(url, await TokenAsync(app, subject, role, project));

    /// <summary>A token of <paramref name="subject"/>, granted <paramref name="role"/> in <paramref name="project"/>.</summary>
    public static Task<string> TokenAsync(this WebApplication app, string subject, Role role, string project = Grant.AllProjects) =>
        app.TokenAsync(subject, [(project, role)]);

    /// <summary>A token of <paramref name="subject"/>, who holds these roles (none, when empty).</summary>
    public static async Task<string> TokenAsync(this WebApplication app, string subject, IEnumerable<(string Project, Role Role)> grants)
    {
        var access = app.Services.GetRequiredService<AccessService>();
        foreach (var (project, role) in grants)
            await access.SetGrantAsync(subject, project, role, true, "tests", CancellationToken.None);
        return (await access.CreateTokenAsync(new TokenRequest($"{subject} in tests", subject), "tests", CancellationToken.None)).Secret;
    }
}
