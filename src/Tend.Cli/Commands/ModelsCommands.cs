using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Reports;
using Tend.Pipelines;
using Tend.Pipelines.Cards;
using Tend.Pipelines.Services;
using Tend.Registry;
using Tend.Training.Models;

namespace Tend.Cli.Commands;

internal static class ModelsCommands
{
    private static readonly Argument<string> RunId = new("run") { Description = "The finished run to register" };
    private static readonly Argument<string> Name = new("name") { Description = "The model's name" };
    private static readonly Argument<int> Version = new("version") { Description = "The version the alias should point at" };
    private static readonly Argument<string> RequestId = new("request") { Description = "The approval request's id (or a unique prefix)" };
    private static readonly Option<string> Alias = new("--alias") { Description = "The alias to move", DefaultValueFactory = _ => ModelRegistry.Champion };
    private static readonly Option<string?> AliasFilter = new("--alias") { Description = "Only this alias's moves" };
    private static readonly Option<string> Reason = new("--reason") { Description = "Why, for the audit trail", Required = true };
    private static readonly Option<string> OptionalReason = new("--reason") { Description = "Why, for the audit trail", DefaultValueFactory = _ => "" };
    private static readonly Option<bool> Force = new("--force") { Description = "Make a version champion although its gates failed or it has no current evaluation (audited as forced)" };
    private static readonly Option<string?> Description = new("--description") { Description = "What the version is, for people and the model card" };
    private static readonly Option<string[]> Tags = new("--tag") { Description = "KEY=VALUE (repeatable; an empty value removes the tag)", AllowMultipleArgumentsPerToken = true };
    private static readonly Argument<FileInfo> OnnxFile = new("file") { Description = "The .onnx file" };
    private static readonly Option<string?> Features = new("--features") { Description = "The columns of a single [N, F] input, in order, comma-separated (default: one input per feature, named as the feature)" };
    private static readonly Option<string?> Classes = new("--classes") { Description = "Classification: the label values in the order of the model's scores, comma-separated (scikit-learn: classes_)" };
    private static readonly Option<string?> Output = new("--output") { Description = "The output holding the scores (default: the first float output of the task's shape)" };
    private static readonly Option<string?> TrainedOn = new("--trained-on") { Description = "The data version it was trained on, when Tend holds it (evaluation then leaves those rows out)" };
    private static readonly Argument<string> Reference = new("model") { Description = "NAME, NAME@VERSION or NAME@ALIAS" };
    private static readonly Option<DirectoryInfo> CardFolder = new("--out", "-o") { Description = "The folder the card's NAME-VERSION.md and .html go to", DefaultValueFactory = _ => new DirectoryInfo(".") };

    public static Command Create(CliConsole console)
    {
        var register = new Command("register", "Register a finished run as the next version of the project's model") { RunId, Description }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var version = await tend.RegisterAsync(parsed.GetValue(RunId)!, parsed.GetValue(Description) ?? "", ct);
            cli.Emit(version, o => o.MarkupLineInterpolated($"Registered [bold]{version.Name}@{version.Version}[/] from run {version.RunId}"));
            return 0;
        });
        var import = new Command("import", "Register an ONNX model trained elsewhere as the next version (tend.yaml gives its task and label; evaluate it before promoting)")
            { OnnxFile, Features, Classes, Output, TrainedOn, Description }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            static IReadOnlyList<string>? List(string? text) => text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var options = new OnnxImportOptions(List(parsed.GetValue(Features)), List(parsed.GetValue(Classes)), parsed.GetValue(Output));
            var version = await ModelImport.ImportAsync(ws, parsed.GetValue(OnnxFile)!.FullName, options, parsed.GetValue(TrainedOn), parsed.GetValue(Description) ?? "", ct);
            cli.Emit(version, o => o.MarkupLineInterpolated($"Imported [bold]{version.Name}@{version.Version}[/] (onnx) from {parsed.GetValue(OnnxFile)!.Name}; 'tend evaluate {version.Name}@{version.Version}' measures it"));
            return 0;
        });
        var promote = new Command("promote", "Point an alias (default: champion) at a version; champion needs passed gates, and approval when tend.yaml requires it")
            { Name, Version, Alias, Reason, Force }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var p = await tend.PromoteAsync(parsed.GetValue(Name)!, parsed.GetValue(Version), parsed.GetValue(Alias)!, parsed.GetValue(Reason)!, parsed.GetValue(Force), ct);
            cli.Emit(p, o =>
            {
                if (p.Status == Promotion.Pending)
                    o.MarkupLineInterpolated($"Request [bold]{p.RequestId}[/] waits for a second person: 'tend models approve {p.RequestId![..8]}', by someone else");
                else
                    o.MarkupLineInterpolated($"[bold]{p.Model}@{p.Alias}[/] now points at version {p.Version}");
            });
            return 0;
        });
        var approve = Decide(console, "approve", "Approve a pending request (by someone other than who asked): the alias moves", true);
        var reject = Decide(console, "reject", "Reject a pending request (by someone other than who asked)", false);
        var requests = new Command("requests", "List approval requests waiting for a decision").Team(console, async (_, cli, tend, ct) =>
        {
            var pending = await tend.ApprovalsAsync(ApprovalStatus.Pending, ct);
            cli.Emit(new { requests = pending }, o =>
            {
                var table = new Table().AddColumns("request", "model", "alias", "version", "asked by", "when", "reason");
                foreach (var r in pending)
                    table.AddRow(r.Id[..8], r.Model, r.Alias, r.Version.ToString(), Markup.Escape(r.Requester), Format.Time(r.Created), Markup.Escape(r.Reason) + (r.Forced ? " [red](forced)[/]" : ""));
                o.Write(table);
            });
            return 0;
        });
        var rollback = new Command("rollback", "Move champion back to the version that was champion before the current one") { Name, OptionalReason }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var p = await tend.RollbackAsync(parsed.GetValue(Name)!, parsed.GetValue(OptionalReason)!, ct);
            cli.Emit(p, o => o.MarkupLineInterpolated($"[bold]{p.Model}@{p.Alias}[/] rolled back to version {p.Version}"));
            return 0;
        });
        var history = new Command("history", "Every move of a model's aliases, oldest first") { Name, AliasFilter }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var moves = await tend.AliasMovesAsync(parsed.GetValue(Name)!, parsed.GetValue(AliasFilter), ct);
            cli.Emit(new { moves }, o =>
            {
                var table = new Table().AddColumns("#", "when", "alias", "from", "to", "how", "by", "why");
                foreach (var m in moves)
                    table.AddRow(m.Sequence.ToString(), Format.Time(m.Time), m.Alias, m.From?.ToString() ?? "–", m.To.ToString(), m.Kind, Markup.Escape(m.Actor), Markup.Escape(m.Reason));
                o.Write(table);
            });
            return 0;
        });
        var update = new Command("update", "Set a version's description and tags") { Reference, Description, Tags }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var tags = (parsed.GetValue(Tags) ?? []).Select(t => t.Split('=', 2) is [var k, var v] && k.Length > 0 ? (k, v)
                : throw TendException.BadUsage($"--tag '{t}' is not KEY=VALUE")).ToDictionary(t => t.k, t => t.v);
            var version = await tend.UpdateModelAsync(parsed.GetValue(Reference)!, parsed.GetValue(Description), tags, ct);
            cli.Emit(version, o => o.MarkupLineInterpolated($"[bold]{version.Name}@{version.Version}[/]: {version.Description}; tags {string.Join(", ", version.Tags.Select(t => $"{t.Key}={t.Value}"))}"));
            return 0;
        });
        var list = new Command("list", "List model versions and their aliases").Team(console, async (_, cli, tend, ct) =>
        {
            var models = await tend.ModelsAsync(ct);
            var metric = (await tend.ProjectAsync(ct)).Metric.Name;
            cli.Emit(new { models }, o => o.Write(Views.Models(models, metric)));
            return 0;
        });
        var show = new Command("show", "Show one model version") { Reference }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var version = await tend.ModelAsync(parsed.GetValue(Reference)!, ct);
            cli.Emit(version, o =>
            {
                o.MarkupLineInterpolated($"[bold]{version.Name}@{version.Version}[/] aliases: {string.Join(", ", version.Aliases)}; run {version.RunId}; data {version.Dataset}");
                o.MarkupLineInterpolated($"{version.Description} {string.Join(", ", version.Tags.Select(t => $"{t.Key}={t.Value}"))}");
                o.MarkupLineInterpolated($"artifact {version.Artifact} sha256 {version.Checksum}");
                o.MarkupLineInterpolated($"holdout: {Format.Metrics(version.Metrics)}");
            });
            return 0;
        });
        var card = new Command("card", "Write the version's model card: Markdown and a self-contained HTML page (intended use, data, metrics with intervals, slices, fairness, limitations, approvals)")
            { Reference, CardFolder }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var ws = tend.Workspace;
            var modelCard = await ModelCard.BuildAsync(ws, ModelReference.Parse(parsed.GetValue(Reference)!), ct);
            var folder = parsed.GetValue(CardFolder)!;
            folder.Create();
            var stem = Path.Combine(folder.FullName, $"{modelCard.Lineage.Model.Name}-{modelCard.Lineage.Model.Version}");
            var document = modelCard.ToDocument();
            await File.WriteAllTextAsync(stem + ".md", ReportMarkdown.Render(document), ct);
            await File.WriteAllTextAsync(stem + ".html", ReportHtml.Page(document), ct);
            cli.Emit(new { markdown = stem + ".md", html = stem + ".html", evaluation_id = modelCard.Evaluation?.Id },
                o => o.MarkupLineInterpolated($"wrote {stem}.md and {stem}.html{(modelCard.Evaluation is null ? " (not evaluated yet: the card says so)" : "")}"));
            return 0;
        });
        return new Command("models", "The model registry: versions, aliases, approvals, history, model cards") { register, import, promote, approve, reject, requests, rollback, history, update, list, show, card };
    }

    private static Command Decide(CliConsole console, string name, string description, bool approve) =>
        new Command(name, description) { RequestId, OptionalReason }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var p = await tend.DecideAsync(parsed.GetValue(RequestId)!, approve, parsed.GetValue(OptionalReason)!, ct);
            cli.Emit(p, o =>
            {
                if (approve)
                    o.MarkupLineInterpolated($"Approved: [bold]{p.Model}@{p.Alias}[/] now points at version {p.Version}");
                else
                    o.MarkupLineInterpolated($"Rejected request {p.RequestId}");
            });
            return 0;
        });
}
