namespace Tend.Core.Identity;

/// <summary>
/// Who makes a request, proven (a token, or an identity provider's signed token), with the roles their grants give
/// them, narrowed by the token's scopes when it has some. The actor of everything the request changes.
/// </summary>
public sealed record Caller(string Name, string Via, IReadOnlyList<Grant> Grants, IReadOnlySet<Permission>? Scopes = null)
{
    /// <summary>Whether the caller may do what <paramref name="permission"/> allows in <paramref name="project"/>.</summary>
    public bool May(Permission permission, string project)
    {
        if (Scopes is not null && !Scopes.Contains(permission))
            return false;
        foreach (var grant in Grants) // on every request: no allocation
            if (grant.Covers(project) && grant.Role.Permissions().Contains(permission))
                return true;
        return false;
    }

    /// <summary>Whether the caller holds <paramref name="permission"/> in every project (a grant on <c>*</c>).</summary>
    public bool MayEverywhere(Permission permission) => May(permission, Grant.AllProjects);

    /// <summary>The projects in which the caller holds <paramref name="permission"/>; null when every project.</summary>
    public IReadOnlySet<string>? Projects(Permission permission) =>
        MayEverywhere(permission) ? null
        : Scopes is not null && !Scopes.Contains(permission) ? new HashSet<string>()
        : Grants.Where(g => g.Role.Permissions().Contains(permission)).Select(g => g.Project).ToHashSet();
}
