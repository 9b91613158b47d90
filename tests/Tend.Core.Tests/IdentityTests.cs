using Tend.Core.Identity;

namespace Tend.Core.Tests;

public class IdentityTests
{
    /// <summary>Made with Python's zlib.crc32 (the IEEE CRC-32) and base62 by hand: tests/Shared/TendProcess.cs's AdminToken.</summary>
    private const string MadeElsewhere = "tend_pat_TestsOnlyAdminTokenNotASecret0002zclIf";

    [Fact]
    public void TokenSecret_New_IsWellFormed_WithItsKindsPrefix_AndNeverTheSameTwice()
    {
        var person = TokenSecret.New(TokenKind.Person);
        var service = TokenSecret.New(TokenKind.Service);
        Assert.StartsWith("tend_pat_", person);
        Assert.StartsWith("tend_sa_", service);
        Assert.Equal(9 + 32 + 6, person.Length);
        Assert.True(TokenSecret.IsWellFormed(person));
        Assert.True(TokenSecret.IsWellFormed(service));
        Assert.NotEqual(person, TokenSecret.New(TokenKind.Person));
    }

    [Fact]
    public void TokenSecret_Checksum_AgreesWithZlibsCrc32_AndCatchesATypo()
    {
        Assert.True(TokenSecret.IsWellFormed(MadeElsewhere));
        Assert.False(TokenSecret.IsWellFormed(MadeElsewhere.Replace("Admin", "Admjn", StringComparison.Ordinal)));
        Assert.False(TokenSecret.IsWellFormed(MadeElsewhere[..^1] + "g"));
        Assert.False(TokenSecret.IsWellFormed(MadeElsewhere.Replace("tend_pat_", "tend_sa_", StringComparison.Ordinal))); // the prefix is checksummed too
        Assert.False(TokenSecret.IsWellFormed(MadeElsewhere + "x"));
        Assert.False(TokenSecret.IsWellFormed("tend_pat_" + new string('-', 38)));
        Assert.False(TokenSecret.IsWellFormed("eyJhbGciOiJIUzI1NiJ9.e30.x"));
    }

    [Fact]
    public void TokenSecret_Hash_IsSha256Hex_OfTheWholeToken()
    {
        // echo -n tend_pat_TestsOnlyAdminTokenNotASecret0002zclIf | sha256sum
        Assert.Equal("5396a31939f59a0444fe40db11ba5b885b88007febccfb46a01a896c8e82ba76", TokenSecret.Hash(MadeElsewhere));
    }

    [Fact]
    public void Caller_HoldsWhatItsRolesHold_InTheirProjects_NarrowedByScopes()
    {
        var at = DateTimeOffset.UnixEpoch;
        var alice = new Caller("alice", "token", [new Grant("alice", "churn", Role.Deployer, at, "admin"), new Grant("alice", "spam", Role.Viewer, at, "admin")]);
        Assert.True(alice.May(Permission.Deploy, "churn"));
        Assert.True(alice.May(Permission.Read, "spam"));
        Assert.False(alice.May(Permission.Deploy, "spam"));
        Assert.False(alice.May(Permission.Approve, "churn")); // a deployer does not approve
        Assert.False(alice.May(Permission.Read, "other"));
        Assert.False(alice.MayEverywhere(Permission.Read));
        Assert.Equal(["churn", "spam"], alice.Projects(Permission.Read)!.Order());
        Assert.Equal(["churn"], alice.Projects(Permission.Deploy)!);

        var readOnly = alice with { Scopes = new HashSet<Permission> { Permission.Read } };
        Assert.False(readOnly.May(Permission.Deploy, "churn"));
        Assert.Empty(readOnly.Projects(Permission.Deploy)!);

        var admin = new Caller("root", "token", [new Grant("root", Grant.AllProjects, Role.Admin, at, "admin")]);
        Assert.True(admin.May(Permission.Approve, "anything"));
        Assert.True(admin.MayEverywhere(Permission.Admin));
        Assert.Null(admin.Projects(Permission.Read));
    }

    [Fact]
    public void Roles_EachReadsAndPredicts_AndAddsItsOwn()
    {
        Assert.Equal([Permission.Read, Permission.Predict], Role.Viewer.Permissions().Order());
        Assert.Equal([Permission.Read, Permission.Predict, Permission.Contribute], Role.Contributor.Permissions().Order());
        Assert.Equal([Permission.Read, Permission.Predict, Permission.Approve], Role.Approver.Permissions().Order());
        Assert.Equal([Permission.Read, Permission.Predict, Permission.Deploy], Role.Deployer.Permissions().Order());
        Assert.Equal(Enum.GetValues<Permission>(), Role.Admin.Permissions().Order());
    }
}
