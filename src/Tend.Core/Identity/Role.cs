using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Tend.Core.Identity;

/// <summary>What a caller may do in a project; a role is granted per project, or on every project (<see cref="Grant.AllProjects"/>).</summary>
public enum Role
{
    /// <summary>Reads everything in the project and calls its models.</summary>
    Viewer,

    /// <summary>Also ingests data, trains, logs runs and evaluates.</summary>
    Contributor,

    /// <summary>Also approves or rejects promotion requests (never their own: four eyes).</summary>
    Approver,

    /// <summary>Also promotes, deploys canaries and shadows, and rolls back.</summary>
    Deployer,

    /// <summary>Everything: tokens, roles, and forcing a promotion past its gates.</summary>
    Admin,
}

/// <summary>One thing an endpoint needs; a role holds some, a token's scopes narrow what its holder's roles hold.</summary>
[SuppressMessage("Naming", "CA1711", Justification = "the domain's word; not a System.Security permission")]
public enum Permission
{
    Read,
    Predict,
    Contribute,
    Approve,
    Deploy,
    Admin,
}

public static class Roles
{
    private static readonly FrozenDictionary<Role, FrozenSet<Permission>> Held = new Dictionary<Role, FrozenSet<Permission>>
    {
        [Role.Viewer] = Set(),
        [Role.Contributor] = Set(Permission.Contribute),
        [Role.Approver] = Set(Permission.Approve),
        [Role.Deployer] = Set(Permission.Deploy),
        [Role.Admin] = Enum.GetValues<Permission>().ToFrozenSet(),
    }.ToFrozenDictionary();

    /// <summary>What each role holds: every role reads and calls models; the others add their own permission; admin holds all.</summary>
    public static IReadOnlySet<Permission> Permissions(this Role role) => Held[role];

    private static FrozenSet<Permission> Set(params Permission[] more) => new[] { Permission.Read, Permission.Predict }.Concat(more).ToFrozenSet();
}
