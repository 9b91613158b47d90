using System.Diagnostics;
using System.Text.Json;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Server;
using Tend.Testing;

namespace Tend.EndToEnd.Tests.Access;

/// <summary>The real <c>tend</c> executable against a server: signed in with <c>tend login</c> or TEND_TOKEN, each person in a home of their own.</summary>
public sealed class CliServerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task TeamCommands_ActOnTheServer_AsTheSignedInIdentity_AndFourEyesComparesTwoTokens()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("seed: 42", "seed: 7") + "\napproval: required\n");
        await Cli.JsonAsync(ws.Dir, "models", "register", (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);
        await Cli.JsonAsync(ws.Dir, "evaluate", "spam@2");
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var _ = await app.AdminAsync(url);
            var aliceToken = await app.TokenAsync("alice", [("spam", Role.Deployer), ("spam", Role.Approver), ("spam", Role.Contributor)]);
            using var alice = new Person();
            using var bob = new Person(await app.TokenAsync("bob", Role.Approver, "spam"));
            using var nobody = new Person();

            var login = await alice.TendAsync(aliceToken + "\n", "login", url);
            Assert.True(login.Exit == 0, login.ToString());
            Assert.Contains("as alice", login.Stdout);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(alice.Credentials)); // the user's alone
            Assert.DoesNotContain(aliceToken, login.Stdout + login.Stderr);
            var refused = await nobody.TendAsync(TokenSecret.New(TokenKind.Person) + "\n", "login", url); // well formed, but not this server's
            Assert.Equal(7, refused.Exit);
            Assert.False(File.Exists(nobody.Credentials)); // a token the server refuses is not stored

            var promoted = await alice.JsonAsync("models", "promote", "spam", "2", "--reason", "a better seed", "--server", url);
            Assert.Equal("pending", promoted.GetProperty("status").GetString());
            var request = promoted.GetProperty("request_id").GetString()!;
            var self = await alice.TendAsync(null, "models", "approve", request[..8], "--server", url);
            Assert.Equal(7, self.Exit); // four eyes: an approver, but the one who asked
            Assert.Contains("four eyes", self.Stderr);
            var posing = await alice.TendAsync(null, "models", "approve", request[..8], "--as", "bob", "--server", url);
            Assert.Equal(2, posing.Exit);
            Assert.Contains("--as names who acts on the local store only", posing.Stderr);
            Assert.Equal(7, (await bob.TendAsync(null, "data", "add", ws.HistoryCsv, "--server", url)).Exit); // an approver adds no data
            var local = await Cli.RunAsync("train", "--server", url);
            Assert.Equal(2, local.Exit);
            Assert.Contains("'train' acts on a local workspace", local.Stderr);

            bob.Environment["TEND_SERVER"] = url; // bob acts through the environment alone: TEND_SERVER and TEND_TOKEN
            Assert.Equal("done", (await bob.JsonAsync("models", "approve", request[..8], "--reason", "looks good")).GetProperty("status").GetString());
            Assert.Equal(2, (await alice.JsonAsync("models", "show", "spam@champion", "--server", url)).GetProperty("version").GetInt32());
            using var auditor = new Person(TendProcess.AdminToken); // the audit trail is read by whoever may read every project
            var moves = (await auditor.JsonAsync("audit", "--subject", "spam@champion", "--server", url)).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("actor").GetString()).ToList();
            Assert.Equal(["alice", "bob"], moves[^2..]); // asked by one identity, decided by another

            var added = await alice.JsonAsync("data", "add", ws.HistoryCsv, "--name", "uploaded", "--server", url);
            Assert.True(added.GetProperty("created").GetBoolean());
            Assert.Contains(added.GetProperty("version").GetString()!, (await alice.JsonAsync("data", "list", "--server", url)).ToString());
            var report = (await alice.JsonAsync("monitor", "run", "--current", "uploaded", "--server", url)).GetProperty("id").GetString()!; // on the server, as alice
            Assert.Equal(report, (await alice.JsonAsync("monitor", "show", report[..8], "--server", url)).GetProperty("id").GetString());
            var path = await alice.TendAsync(null, "monitor", "run", "--current", ws.HistoryCsv, "--server", url);
            Assert.Equal(2, path.Exit); // the server's disk is not read for a caller
            Assert.Contains("names a path", path.Stderr);
            Assert.EndsWith("(--current)", path.Stderr.Trim());

            // An admin hands out a role and a token from their own machine; the newcomer acts with it at once.
            Assert.True((await auditor.JsonAsync("access", "grant", "carol", "viewer", "--project", "spam", "--server", url)).GetProperty("changed").GetBoolean());
            var carols = (await auditor.JsonAsync("tokens", "create", "carol's laptop", "--subject", "carol", "--days", "7", "--server", url)).GetProperty("secret").GetString()!;
            using var carol = new Person(carols);
            Assert.Equal(2, (await carol.JsonAsync("models", "list", "--server", url)).GetProperty("models").GetArrayLength());
            Assert.Equal(7, (await carol.TendAsync(null, "access", "grant", "carol", "admin", "--project", "spam", "--server", url)).Exit); // a viewer grants nothing
            var own = (await alice.JsonAsync("tokens", "list", "--server", url)).GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("subject").GetString()).Distinct();
            Assert.Equal(["alice"], own); // one's own tokens, not the others'

            var anonymous = await nobody.TendAsync(null, "runs", "list", "--server", url);
            Assert.Equal(7, anonymous.Exit);
            Assert.Contains($"tend login {url}/", anonymous.Stderr);
            Assert.Equal(0, (await alice.TendAsync(null, "logout", url)).Exit);
            Assert.Equal(7, (await alice.TendAsync(null, "runs", "list", "--server", url)).Exit);
        }
    }

    [Fact]
    public async Task EachTeamCommand_ShowsOnTheServer_WhatItShowsOnTheWorkspace()
    {
        using var ws = new TestWorkspace();
        var run = await ws.WithChampionAsync();
        await Cli.JsonAsync(ws.Dir, "runs", "tag", run, "team=search");
        var monitor = (await Cli.JsonAsync(ws.Dir, "monitor", "run", "--current", ws.Write("current.csv", ws.Rest))).GetProperty("id").GetString()!;
        await using var workspace = await Workspace.OpenAsync(ws.Dir, Ct);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, Ct);
        await using (app)
        {
            using var admin = new Person(TendProcess.AdminToken);
            using var _ = await app.AdminAsync(url);
            string[][] commands =
            [
                ["runs", "list"], ["runs", "show", run[..8]], ["runs", "history", run, "auc"], ["models", "list"], ["models", "show", "spam"], ["models", "history", "spam"],
                ["models", "requests"], ["lineage", "spam@1"], ["data", "list"], ["data", "show", "spam"], ["data", "schema"], ["monitor", "list"], ["monitor", "show", monitor[..8]],
                ["alerts", "list", "--all"], ["audit"], ["audit", "verify"], ["access", "list"],
            ];
            foreach (var command in commands)
            {
                var local = await Cli.JsonAsync(ws.Dir, command);
                var served = await admin.JsonAsync([.. command, "--server", url]);
                Assert.True(JsonElement.DeepEquals(local, served), $"tend {string.Join(' ', command)}\nlocal:  {local}\nserver: {served}");
            }
        }
    }
}
