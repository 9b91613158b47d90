using Tend.Core.Identity;
using Tend.Testing;
using static Tend.Storage.Sql.Tests.Fixtures;

namespace Tend.Storage.Sql.Tests;

/// <summary>The access store on each dialect (as <see cref="MetadataStoreConformanceTests"/>): tokens found by their hash alone, grants changed once and audited once.</summary>
public sealed class AccessStoreConformanceTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static Task<SqlMetadataStore> OpenAsync(string dialect) => dialect == StoreDialect.Sqlite ? SqliteAsync() : PostgresAsync();

    private static ApiToken Token(string id, string subject) =>
        new(id, "ci", subject, TokenKind.Service, [Permission.Read, Permission.Contribute], Now, Now.AddDays(30), "admin");

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Tokens_AreFoundByTheirHash_KeepTheirLastUse_AndARevocationIsSaved(string dialect)
    {
        var store = await OpenAsync(dialect);
        await store.Access.SaveTokenAsync(Token("tok_a", "ci-bot"), "hash-a", Audit("token.create"), Ct);
        await store.Access.SaveTokenAsync(Token("tok_b", "alice") with { Created = Now.AddMinutes(1), Kind = TokenKind.Person }, "hash-b", Audit("token.create"), Ct);

        var found = await store.Access.FindTokenAsync("hash-a", Ct);
        Assert.Equal(("tok_a", "ci-bot", TokenKind.Service), (found!.Id, found.Subject, found.Kind));
        Assert.Equal([Permission.Read, Permission.Contribute], found.Scopes);
        Assert.Null(found.LastUsed);
        Assert.Null(await store.Access.FindTokenAsync("tok_a", Ct)); // an id is not a hash
        Assert.Equal(["tok_b", "tok_a"], (await store.Access.ListTokensAsync(Ct)).Select(t => t.Id)); // newest first

        await store.Access.UsedAsync("tok_a", Now.AddHours(1), Ct);
        Assert.Equal(Now.AddHours(1), (await store.Access.GetTokenAsync("tok_a", Ct))!.LastUsed);
        await store.Access.SaveTokenAsync(found with { Revoked = Now.AddHours(2), RevokedBy = "admin" }, null, Audit("token.revoke"), Ct);
        var revoked = await store.Access.FindTokenAsync("hash-a", Ct);
        Assert.Equal((Now.AddHours(2), "admin"), (revoked!.Revoked, revoked.RevokedBy));
        Assert.Equal(Now.AddHours(1), revoked.LastUsed); // a save keeps the last use, which only UsedAsync writes
        Assert.Equal(3, (await store.Audit.ListAsync(Ct)).Count);
    }

    [Theory, InlineData(StoreDialect.Sqlite), PostgresData]
    public async Task Grants_ChangeOnce_AreAuditedOnce_AndListInOrder(string dialect)
    {
        var store = await OpenAsync(dialect);
        Assert.True(await store.Access.SetGrantAsync(new Grant("bob", "spam", Role.Viewer, Now, "admin"), true, Audit("access.grant"), Ct));
        Assert.False(await store.Access.SetGrantAsync(new Grant("bob", "spam", Role.Viewer, Now, "admin"), true, Audit("access.grant"), Ct));
        Assert.True(await store.Access.SetGrantAsync(new Grant("bob", "*", Role.Approver, Now, "admin"), true, Audit("access.grant"), Ct));
        Assert.True(await store.Access.SetGrantAsync(new Grant("alice", "churn", Role.Deployer, Now, "admin"), true, Audit("access.grant"), Ct));

        Assert.Equal(["alice churn deployer", "bob * approver", "bob spam viewer"],
            (await store.Access.GrantsAsync(null, Ct)).Select(g => $"{g.Subject} {g.Project} {g.Role.ToString().ToLowerInvariant()}"));
        Assert.Equal(2, (await store.Access.GrantsAsync("bob", Ct)).Count);

        Assert.True(await store.Access.SetGrantAsync(new Grant("bob", "spam", Role.Viewer, Now, "admin"), false, Audit("access.revoke"), Ct));
        Assert.False(await store.Access.SetGrantAsync(new Grant("bob", "spam", Role.Viewer, Now, "admin"), false, Audit("access.revoke"), Ct));
        Assert.Equal([Role.Approver], (await store.Access.GrantsAsync("bob", Ct)).Select(g => g.Role));
        Assert.Equal(4, (await store.Audit.ListAsync(Ct)).Count); // three grants and one revocation changed something
    }
}
