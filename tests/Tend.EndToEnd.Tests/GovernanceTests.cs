using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tend.Core.Domain;
using Tend.Core.Identity;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>Evaluation with fairness and gates, promotion under the gates and four eyes, rollback, alias history, and the tamper-evident audit trail, through the CLI and REST.</summary>
public class GovernanceTests
{
    private static readonly string CreditCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public async Task Evaluate_Credit_ReportsFairnessByMaritalAndAge_AndAFairnessGateCanFail()
    {
        using var ws = new TestWorkspace();
        var init = await Cli.RunAsync("init", ws.Dir, "--task", "binary", "--label", "Status", "--data", CreditCsv, "--name", "credit");
        Assert.True(init.Exit == 0, init.ToString());
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        var spec = File.ReadAllText(yaml) + "\ngates:\n  - {fairness: demographic_parity_difference, attribute: Marital, max: 0.02}\n  - {latency_p99_ms: 100}\n  - {model_size_mb: 50}"
            + "\nprotected_attributes: [Marital, Age]\n";
        File.WriteAllText(yaml, spec);
        await Cli.JsonAsync(ws.Dir, "data", "add", CreditCsv);
        var train = await Cli.JsonAsync(ws.Dir, "train");
        var run = train.GetProperty("run_id").GetString()!;

        var report = Path.Combine(ws.Dir, "evaluation.html");
        var markdown = Path.Combine(ws.Dir, "evaluation.md");
        var failed = await Cli.RunAsync("evaluate", run, "--report", report, "--report-md", markdown, "--workspace", ws.Dir, "--json");
        Assert.True(failed.Exit == 4, failed.ToString());
        var md = File.ReadAllText(markdown); // the same document as the HTML page, for a pull request
        Assert.StartsWith("# ", md);
        Assert.Contains("Fairness by Marital", md);
        Assert.DoesNotContain("<", md.Split('\n')[0]);
        var result = failed.Json;
        Assert.False(result.GetProperty("passed").GetBoolean());
        // The same metric keys and values as train logged.
        foreach (var metric in train.GetProperty("metrics").EnumerateObject())
            Assert.Equal(metric.Value.GetDouble(), result.GetProperty("metrics").GetProperty(metric.Name).GetDouble(), 12);

        var marital = result.GetProperty("fairness").GetProperty("Marital");
        var groups = marital.GetProperty("groups").EnumerateArray().ToList();
        Assert.True(groups.Count >= 4, marital.ToString());
        // The summary compares the groups of at least min_slice_rows (30) rows.
        var rates = groups.Where(g => g.GetProperty("rows").GetInt32() >= 30).Select(g => g.GetProperty("selection_rate").GetDouble()).ToList();
        Assert.True(rates.Count >= 2, marital.ToString());
        var parity = marital.GetProperty("demographic_parity_difference").GetDouble();
        Assert.Equal(rates.Max() - rates.Min(), parity, 12);
        Assert.Equal(4, result.GetProperty("fairness").GetProperty("Age").GetProperty("groups").GetArrayLength()); // quartile bins
        var gates = result.GetProperty("gates").EnumerateArray().ToList();
        var fairnessGate = gates.Single(g => g.GetProperty("kind").GetString() == "fairness");
        Assert.False(fairnessGate.GetProperty("passed").GetBoolean());
        Assert.Equal(parity, fairnessGate.GetProperty("actual").GetDouble(), 12);
        Assert.True(gates.Single(g => g.GetProperty("kind").GetString() == "latency").GetProperty("passed").GetBoolean());
        Assert.True(gates.Single(g => g.GetProperty("kind").GetString() == "model_size").GetProperty("passed").GetBoolean());
        Assert.Contains("demographic_parity_difference[Marital]", failed.Stderr);

        var interval = result.GetProperty("interval");
        Assert.InRange(interval.GetProperty("value").GetDouble(), interval.GetProperty("low").GetDouble(), interval.GetProperty("high").GetDouble());
        Assert.Equal(1000, interval.GetProperty("resamples").GetInt32());
        Assert.Equal(2, result.GetProperty("confusion_matrix").GetArrayLength());

        var html = File.ReadAllText(report);
        Assert.Contains("<svg", html);
        Assert.Contains("Fairness by Marital", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);

        File.WriteAllText(yaml, spec.Replace("max: 0.02", "max: 0.9"));
        Assert.True((await Cli.JsonAsync(ws.Dir, "evaluate", run)).GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Promotion_NeedsPassedGates_AndASecondPerson_AndRollsBack()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync();
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        File.AppendAllText(yaml, "\napproval: required\n");
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        var first = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(ws.Dir, "models", "register", first);

        var unevaluated = await Cli.RunAsync("models", "promote", "spam", "1", "--reason", "first", "--as", "alice", "--workspace", ws.Dir);
        Assert.Equal(7, unevaluated.Exit);
        Assert.Contains("has no evaluation", unevaluated.Stderr);

        await Cli.JsonAsync(ws.Dir, "evaluate", "spam@1");
        var request = await Cli.JsonAsync(ws.Dir, "models", "promote", "spam", "1", "--alias", "champion", "--as", "alice", "--reason", "first");
        Assert.Equal("pending", request.GetProperty("status").GetString());
        var requestId = request.GetProperty("request_id").GetString()!;
        var self = await Cli.RunAsync("models", "approve", requestId, "--as", "alice", "--workspace", ws.Dir);
        Assert.Equal(7, self.Exit);
        Assert.Contains("four eyes", self.Stderr);
        Assert.Equal(requestId, (await Cli.JsonAsync(ws.Dir, "models", "requests")).GetProperty("requests")[0].GetProperty("id").GetString());
        Assert.Equal(5, (await Cli.RunAsync("models", "show", "spam@champion", "--workspace", ws.Dir)).Exit);
        Assert.Equal("done", (await Cli.JsonAsync(ws.Dir, "models", "approve", requestId[..8], "--as", "bob", "--reason", "looks good")).GetProperty("status").GetString());
        Assert.Equal(1, (await Cli.JsonAsync(ws.Dir, "models", "show", "spam@champion")).GetProperty("version").GetInt32());
        Assert.Empty((await Cli.JsonAsync(ws.Dir, "models", "requests")).GetProperty("requests").EnumerateArray());

        // Version 2 (another seed): rejected once, then approved over HTTP by someone else.
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("seed: 42", "seed: 7"));
        var second = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(ws.Dir, "models", "register", second);
        var evaluation = await Cli.JsonAsync(ws.Dir, "evaluate", "spam@2");
        Assert.Equal(1, evaluation.GetProperty("champion").GetProperty("version").GetInt32());
        var rejected = (await Cli.JsonAsync(ws.Dir, "models", "promote", "spam", "2", "--as", "alice", "--reason", "seed 7")).GetProperty("request_id").GetString()!;
        Assert.Equal("rejected", (await Cli.JsonAsync(ws.Dir, "models", "reject", rejected, "--as", "bob", "--reason", "not now")).GetProperty("status").GetString());
        Assert.Equal(6, (await Cli.RunAsync("models", "approve", rejected, "--as", "carol", "--workspace", ws.Dir)).Exit);

        await using (var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None))
        {
            var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
            await using (app)
            {
                using var http = await app.AdminAsync(url);
                // Two real identities, each proven by its own token: alice deploys, carol approves (and deploys, so only four eyes stops alice).
                var tokens = new Dictionary<string, string>
                {
                    ["alice"] = await app.TokenAsync("alice", Role.Deployer, "spam"),
                    ["carol"] = await app.TokenAsync("carol", Role.Approver, "spam"),
                };
                await app.TokenAsync("alice", Role.Approver, "spam");
                async Task<HttpResponseMessage> As(string actor, string path, object body)
                {
                    using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
                    message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[actor]);
                    return await http.SendAsync(message);
                }
                var pending = await As("alice", "/api/v1/models/spam/promote", new { version = 2, reason = "seed 7, again" });
                Assert.Equal(HttpStatusCode.OK, pending.StatusCode);
                var id = JsonDocument.Parse(await pending.Content.ReadAsStringAsync()).RootElement.GetProperty("request_id").GetString()!;
                Assert.Equal(HttpStatusCode.Forbidden, (await As("alice", $"/api/v1/approvals/{id}/approve", new { reason = "me" })).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await As("carol", "/api/v1/approvals/ffff0000/approve", new { })).StatusCode);
                Assert.Equal(HttpStatusCode.BadRequest, (await As("carol", $"/api/v1/approvals/{id}/approve", "not an object")).StatusCode);
                var tooLong = await As("carol", $"/api/v1/approvals/{id}/approve", new { reason = new string('r', TextLimit.Prose + 1) });
                Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode); // refused before anything is decided: the approval below still goes through
                Assert.Equal("reason", JsonDocument.Parse(await tooLong.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
                Assert.Equal(HttpStatusCode.OK, (await As("carol", $"/api/v1/approvals/{id}/approve", new { reason = "ok" })).StatusCode);
                foreach (var bogus in new[] { "bogus", "7" }) // an unknown name, or a number for an enum: a 400 listing the choices
                {
                    var listed = await http.GetAsync($"/api/v1/approvals?status={bogus}");
                    Assert.Equal(HttpStatusCode.BadRequest, listed.StatusCode);
                    var problem = JsonDocument.Parse(await listed.Content.ReadAsStringAsync()).RootElement;
                    Assert.Equal($"status '{bogus}' is not one of: pending, approved, rejected (parameter 'status': pending | approved | rejected)", problem.GetProperty("detail").GetString());
                }
                var all = JsonDocument.Parse(await http.GetStringAsync("/api/v1/approvals")).RootElement.EnumerateArray().ToList();
                var approved = JsonDocument.Parse(await http.GetStringAsync("/api/v1/approvals?status=Approved")).RootElement.EnumerateArray().ToList();
                Assert.Equal(all.Where(a => a.GetProperty("status").GetString() == "approved").Select(a => a.GetProperty("id").GetString()),
                    approved.Select(a => a.GetProperty("id").GetString()));
                Assert.NotEmpty(approved);
                var verify = JsonDocument.Parse(await http.GetStringAsync("/api/v1/audit/verify")).RootElement;
                Assert.True(verify.GetProperty("intact").GetBoolean());
            }
        }
        Assert.Equal(2, (await Cli.JsonAsync(ws.Dir, "models", "show", "spam@champion")).GetProperty("version").GetInt32());

        var rollback = await Cli.JsonAsync(ws.Dir, "models", "rollback", "spam", "--as", "dave", "--reason", "v2 misbehaves");
        Assert.Equal(1, rollback.GetProperty("version").GetInt32());
        Assert.Equal(7, (await Cli.RunAsync("models", "rollback", "spam", "--workspace", ws.Dir)).Exit); // v1 had no champion before it
        var moves = (await Cli.JsonAsync(ws.Dir, "models", "history", "spam")).GetProperty("moves").EnumerateArray()
            .Select(m => (From: m.GetProperty("from").ValueKind == JsonValueKind.Null ? 0 : m.GetProperty("from").GetInt32(), To: m.GetProperty("to").GetInt32(),
                Kind: m.GetProperty("kind").GetString(), Actor: m.GetProperty("actor").GetString())).ToList();
        Assert.Equal([(0, 1, "approved", "bob"), (1, 2, "approved", "carol"), (2, 1, "rollback", "dave")], moves);

        // A failed gate blocks champion; --force passes it, still through approval, and says so.
        File.WriteAllText(yaml, File.ReadAllText(yaml).Replace("bar: 0.75", "bar: 0.9999"));
        Assert.Equal(4, (await Cli.RunAsync("evaluate", "spam@2", "--workspace", ws.Dir)).Exit);
        var blocked = await Cli.RunAsync("models", "promote", "spam", "2", "--reason", "again", "--as", "alice", "--workspace", ws.Dir);
        Assert.Equal(4, blocked.Exit);
        Assert.Contains("or force the promotion, with a reason, to override (audited) (--force)", blocked.Stderr);
        var forced = (await Cli.JsonAsync(ws.Dir, "models", "promote", "spam", "2", "--force", "--reason", "hotfix", "--as", "alice")).GetProperty("request_id").GetString()!;
        await Cli.JsonAsync(ws.Dir, "models", "approve", forced, "--as", "bob");
        var last = (await Cli.JsonAsync(ws.Dir, "models", "history", "spam", "--alias", "champion")).GetProperty("moves").EnumerateArray().Last();
        Assert.Equal("forced", last.GetProperty("kind").GetString());
        var audit = await Cli.JsonAsync(ws.Dir, "audit", "--subject", "spam@champion");
        Assert.All(audit.GetProperty("events").EnumerateArray(), e => Assert.StartsWith("spam@champion", e.GetProperty("subject").GetString()));
        Assert.Contains(audit.GetProperty("events").EnumerateArray(), e => e.GetProperty("reason").GetString()!.Contains("forced past its gates"));
        Assert.Empty((await Cli.JsonAsync(ws.Dir, "audit", "--since", "2999-01-01")).GetProperty("events").EnumerateArray());

        // Lineage of the champion (version 2): its data, its run, its evaluations, both requests and every move to or from it.
        var lineage = await Cli.JsonAsync(ws.Dir, "lineage", "spam@champion");
        Assert.Equal(2, lineage.GetProperty("model").GetProperty("version").GetInt32());
        Assert.Equal(second, lineage.GetProperty("run").GetProperty("id").GetString());
        Assert.Equal("7", lineage.GetProperty("run").GetProperty("params").GetProperty("seed").GetString());
        Assert.Equal(lineage.GetProperty("model").GetProperty("dataset").GetString(), lineage.GetProperty("datasets")[0].GetProperty("reference").GetString());
        Assert.Equal(2, lineage.GetProperty("evaluations").GetArrayLength()); // passed, then failed at the 0.9999 bar
        Assert.Equal(["rejected", "approved", "approved"], lineage.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("status").GetString()));
        Assert.Equal(["approved", "rollback", "forced"], lineage.GetProperty("alias_moves").EnumerateArray().Select(m => m.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task AuditVerify_CatchesARowEditedInTheDatabase()
    {
        using var ws = new TestWorkspace();
        await ws.WithChampionAsync();
        var intact = await Cli.JsonAsync(ws.Dir, "audit", "verify");
        Assert.True(intact.GetProperty("intact").GetBoolean());
        Assert.Equal(6, intact.GetProperty("events").GetInt32()); // the project registered, then the five of WithChampionAsync

        await using (var db = new SqliteConnection($"Data Source={Path.Combine(ws.Dir, ".tend", "tend.db")};Pooling=False"))
        {
            await db.OpenAsync();
            var edit = db.CreateCommand();
            edit.CommandText = "UPDATE audit_events SET reason = 'nothing to see here' WHERE sequence = 3";
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }
        var broken = await Cli.RunAsync("audit", "verify", "--workspace", ws.Dir, "--json");
        Assert.NotEqual(0, broken.Exit);
        Assert.False(broken.Json.GetProperty("intact").GetBoolean());
        Assert.Equal(3, broken.Json.GetProperty("first_broken").GetInt64());
        Assert.Contains("broken at event 3", broken.Stderr);
    }
}
