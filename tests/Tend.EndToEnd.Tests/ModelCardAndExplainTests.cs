using System.Net;
using Tend.Data.Tabular;
using Tend.Pipelines;
using Tend.Server;

namespace Tend.EndToEnd.Tests;

/// <summary>The model card (Markdown and HTML, CLI and REST) and per-prediction explanations, on credit_data with Marital and Age protected.</summary>
public class ModelCardAndExplainTests
{
    private static readonly string CreditCsv = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");
    private const string Purpose = "Ranks loan applications by risk of default for manual review; not for automatic rejection.";

    private static async Task<TestWorkspace> CreditChampionAsync()
    {
        var ws = new TestWorkspace();
        var init = await Cli.RunAsync("init", ws.Dir, "--task", "binary", "--label", "Status", "--data", CreditCsv, "--name", "credit");
        Assert.True(init.Exit == 0, init.ToString());
        var yaml = Path.Combine(ws.Dir, "tend.yaml");
        var lines = File.ReadAllLines(yaml).Select(l => l.StartsWith("description:") ? $"description: \"{Purpose}\"" : l);
        File.WriteAllLines(yaml, lines.Append("protected_attributes: [Marital, Age]"));
        await Cli.JsonAsync(ws.Dir, "data", "add", CreditCsv);
        var run = (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!;
        await Cli.JsonAsync(ws.Dir, "models", "register", run, "--description", "first credit model");
        return ws;
    }

    [Fact]
    public async Task Card_OfAProjectStillDescribedByInitsPlaceholder_SaysItsUseIsNotStated()
    {
        using var ws = new TestWorkspace();
        await ws.InitAsync(); // the description tend init writes, as a prompt to fill in
        await Cli.JsonAsync(ws.Dir, "data", "add", ws.HistoryCsv);
        await Cli.JsonAsync(ws.Dir, "models", "register", (await Cli.JsonAsync(ws.Dir, "train")).GetProperty("run_id").GetString()!);

        var card = await File.ReadAllTextAsync((await Cli.JsonAsync(ws.Dir, "models", "card", "spam@1", "-o", ws.Dir)).GetProperty("markdown").GetString()!);

        Assert.Contains("## Intended use\n\nNot stated: tend.yaml's description is still the placeholder 'tend init' wrote.", card);
        Assert.DoesNotContain(Core.Spec.SpecWriter.DefaultDescription, card);
    }

    [Fact]
    public async Task Card_FromSpecLineageAndEvaluation_InMarkdownAndHtml_OverCliAndRest()
    {
        using var ws = await CreditChampionAsync();
        var cards = Path.Combine(ws.Dir, "cards");
        Assert.Contains("Not evaluated yet", await File.ReadAllTextAsync((await Cli.JsonAsync(ws.Dir, "models", "card", "credit@1", "-o", cards)).GetProperty("markdown").GetString()!));

        var evaluation = await Cli.JsonAsync(ws.Dir, "evaluate", "credit@1");
        await Cli.JsonAsync(ws.Dir, "models", "promote", "credit", "1", "--as", "alice", "--reason", "first release");
        var written = await Cli.JsonAsync(ws.Dir, "models", "card", "credit@champion", "-o", cards);
        Assert.Equal(evaluation.GetProperty("evaluation_id").GetString(), written.GetProperty("evaluation_id").GetString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(cards, "credit-1.md"));
        Assert.StartsWith("# Model card: credit@1", markdown);
        Assert.Contains(Purpose, markdown); // intended use, from tend.yaml
        Assert.Contains("first credit model", markdown);
        Assert.Matches(@"credit@[0-9a-f]{12} \| 4454 \|", markdown); // the training data version, from the lineage
        var interval = evaluation.GetProperty("interval");
        Assert.Contains($"auc {EvaluationNumber(interval.GetProperty("value").GetDouble())}, 95% bootstrap interval [{EvaluationNumber(interval.GetProperty("low").GetDouble())}, ", markdown);
        foreach (var section in new[] { "## Fairness by Marital", "## Fairness by Age", "## Slices, worst first", "## Limitations", "## Approvals and alias history" })
            Assert.Contains(section, markdown);
        var parity = evaluation.GetProperty("fairness").GetProperty("Age").GetProperty("demographic_parity_difference").GetDouble();
        Assert.Contains($"demographic parity difference {EvaluationNumber(parity)}", markdown);
        Assert.Contains("| married | 6", markdown); // a group row of the Marital table
        Assert.Contains("groups with fewer than 30 evaluation rows are listed but not compared", markdown);
        Assert.Matches(@"\| champion \| – \| 1 \| promote \| alice \| first release \|", markdown);

        var html = await File.ReadAllTextAsync(Path.Combine(cards, "credit-1.html"));
        Assert.Contains("<h2>Fairness by Marital</h2>", html);
        Assert.Contains(WebUtility.HtmlEncode(Purpose), html);
        Assert.True(html.Split("<svg").Length - 1 >= 4, "ROC, PR, calibration and importance charts inline");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("href=", html);

        await using var workspace = await Workspace.OpenAsync(ws.Dir, CancellationToken.None);
        var (app, url) = await TendServer.StartAsync(workspace, "127.0.0.1", 0, CancellationToken.None);
        await using (app)
        {
            using var http = await app.AdminAsync(url);
            var md = await http.GetAsync("/api/v1/models/credit@1/card");
            Assert.Equal(HttpStatusCode.OK, md.StatusCode);
            Assert.Equal("text/markdown", md.Content.Headers.ContentType!.MediaType);
            Assert.Equal(markdown, await md.Content.ReadAsStringAsync());
            var page = await http.GetAsync("/api/v1/models/credit/card?format=html");
            Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
            Assert.Equal(html, await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/v1/models/credit@1/card?format=pdf")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/models/credit@9/card")).StatusCode);
        }
    }

    [Fact]
    public async Task Explain_GivesEachColumnsContribution_AndNamesTheFileAndFieldOfAMistake()
    {
        using var ws = await CreditChampionAsync();
        var credit = CsvReader.ReadFile(CreditCsv);
        var rows = Path.Combine(ws.Dir, "rows.json");
        await File.WriteAllTextAsync(rows, $"[{FeatureJson.Of(credit, 0, "Status")}, {FeatureJson.Of(credit, 1, "Status")}]");

        var explained = await Cli.JsonAsync(ws.Dir, "explain", "credit@1", rows);
        Assert.Equal("credit@1", explained.GetProperty("model").GetString());
        Assert.Equal(2, explained.GetProperty("rows").GetArrayLength());
        var first = explained.GetProperty("rows")[0];
        var contributions = first.GetProperty("contributions").EnumerateArray().ToList();
        Assert.True(contributions.Count >= 5, first.ToString());
        Assert.All(contributions, c => Assert.Contains(c.GetProperty("column").GetString(), credit.Columns));
        var sizes = contributions.Select(c => Math.Abs(c.GetProperty("contribution").GetDouble())).ToList();
        Assert.Equal(sizes.OrderDescending(), sizes); // largest first
        var income = contributions.Single(c => c.GetProperty("column").GetString() == "Income");
        Assert.Equal(credit.Rows[0][credit.IndexOf("Income")], income.GetProperty("value").GetString());
        Assert.Equal(3, (await Cli.JsonAsync(ws.Dir, "explain", "credit@1", rows, "--top", "3")).GetProperty("rows")[0].GetProperty("contributions").GetArrayLength());

        Assert.Equal(2, (await Cli.RunAsync("explain", "credit@1", rows, "--top", "0", "--workspace", ws.Dir)).Exit);

        await File.WriteAllTextAsync(rows, FeatureJson.Of(credit, 0, "Status", "Income"));
        var missing = await Cli.RunAsync("explain", "credit@1", rows, "--workspace", ws.Dir);
        Assert.True(missing.Exit == 2, missing.ToString());
        Assert.Contains("rows.json: field 'Income' is missing", missing.Stderr);
        await File.WriteAllTextAsync(rows, "{\n  \"Seniority\": 9,\n  oops\n}");
        var malformed = await Cli.RunAsync("explain", "credit@1", rows, "--workspace", ws.Dir);
        Assert.True(malformed.Exit == 2, malformed.ToString());
        Assert.Contains("rows.json: malformed JSON at line 3", malformed.Stderr);
    }

    /// <summary>Numbers as the report prints them.</summary>
    private static string EvaluationNumber(double value) => Tend.Core.Domain.Figures.Number(value);
}
