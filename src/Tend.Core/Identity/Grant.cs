namespace Tend.Core.Identity;

/// <summary>A role held by a subject (a person's name, a service account, an OpenID Connect subject) in a project, or in every project (<c>*</c>).</summary>
public sealed record Grant(string Subject, string Project, Role Role, DateTimeOffset Granted, string Actor)
{
    public const string AllProjects = "*";

    public bool Covers(string project) => Project == AllProjects || Project == project;
}
