using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Pipelines;
using Tend.Registry;

namespace Tend.Cli.Commands;

internal static class DeployCommands
{
    private static readonly Argument<string> Model = new("model") { Description = "The model's name" };
    private static readonly Argument<string?> MaybeModel = new("model") { Description = "The model's name (default: the project's)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<int?> Canary = new("--canary") { Description = "A version to take a share of the traffic beside the champion" };
    private static readonly Option<double?> Percent = new("--percent") { Description = "The canary's share of requests, 0–100 (sticky per X-Tend-Routing-Key)" };
    private static readonly Option<int?> Shadow = new("--shadow") { Description = "A version to score a copy of every request, logged and never returned" };
    private static readonly Option<string> Reason = new("--reason") { Description = "Why, for the audit trail", DefaultValueFactory = _ => "" };
    private static readonly Option<bool> Force = new("--force") { Description = "Promote the canary although its gates failed or it has no current evaluation (audited as forced)" };
    private static readonly Option<TimeSpan> Window = new("--window") { Description = "How far back the traffic figures look (e.g. 1:00:00 for an hour)", DefaultValueFactory = _ => TimeSpan.FromDays(1) };

    public static Command Create(CliConsole console)
    {
        var status = new Command("status", "The deployment and what each route served: versions, traffic shares, latency, shadow agreement") { MaybeModel, Window }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var status = await tend.DeploymentAsync(parsed.GetValue(MaybeModel) ?? (await tend.ProjectAsync(ct)).Name, parsed.GetValue(Window), ct);
                cli.Emit(status, o => Show(o, status));
                return 0;
            });
        var promote = new Command("promote-canary", "Make the canary the champion (gates and approval apply) and end the canary") { Model, Reason, Force }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var promotion = await tend.PromoteCanaryAsync(parsed.GetValue(Model)!, parsed.GetValue(Reason)!, parsed.GetValue(Force), ct);
                cli.Emit(promotion, o => o.MarkupLineInterpolated($"{promotion.Model}@champion: {promotion.Status} (version {promotion.Version}){(promotion.RequestId is { } id ? $", request {id}" : "")}"));
                return 0;
            });
        var rollback = new Command("rollback", "End the canary and the shadow: the champion serves everything") { Model, Reason }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var deployment = await tend.RollbackDeploymentAsync(parsed.GetValue(Model)!, parsed.GetValue(Reason)!, ct);
                cli.Emit(deployment, o => o.MarkupLineInterpolated($"{deployment.Model}: the champion serves everything"));
                return 0;
            });
        var apply = new Command("apply", "Set the deployment to the one tend.yaml declares under deploy: (what a starting 'tend serve' does too)")
            .Run(console, async (parsed, cli, ct) =>
            {
                await using var tend = await cli.OpenAsync(ct);
                var ws = tend.Workspace;
                var declared = ws.Spec.Deploy ?? throw TendException.BadUsage($"{SpecLoader.FileName} has no 'deploy:' section; 'tend init' shows one, commented out");
                var applied = await tend.Get<Deployments>().ApplyAsync(ws.Spec.Name, declared, ws.Actor, ct);
                cli.Emit(applied, o => Report(o, applied));
                return 0;
            });
        return new Command("deploy", "Route a model's traffic: a canary version for a share of requests, a shadow version on a copy of each (a running server follows within a second)")
        {
            Model, Canary, Percent, Shadow, Reason, status, promote, rollback, apply,
        }.Team(console, async (parsed, cli, tend, ct) =>
        {
            var deployment = await tend.DeployAsync(parsed.GetValue(Model)!, parsed.GetValue(Canary), parsed.GetValue(Percent), parsed.GetValue(Shadow), parsed.GetValue(Reason)!, ct);
            cli.Emit(deployment, o => o.MarkupLineInterpolated($"{deployment.Model}: {Describe(deployment)}"));
            return 0;
        });
    }

    /// <summary>What applying tend.yaml's deployment did, and what of it was left out.</summary>
    public static void Report(IAnsiConsole o, AppliedDeployment applied)
    {
        var d = applied.Deployment;
        o.MarkupLineInterpolated($"{d.Model}: {Describe(d)}{(applied.Changed ? $" (set from {SpecLoader.FileName})" : $" (as {SpecLoader.FileName} declares already)")}");
        foreach (var note in applied.Notes)
            o.MarkupLineInterpolated($"[yellow]note:[/] {note}");
    }

    private static string Describe(Deployment d) =>
        string.Join("; ", new[]
        {
            "champion as primary",
            d.Canary is { } c ? $"canary v{c} on {d.CanaryPercent:0.##}% of requests" : null,
            d.Shadow is { } s ? $"shadow v{s} on a copy of every request" : null,
        }.OfType<string>());

    private static void Show(IAnsiConsole o, DeploymentStatus status)
    {
        o.MarkupLineInterpolated($"[bold]{status.Deployment.Model}[/]: {Describe(status.Deployment)} (champion v{status.Champion?.ToString() ?? "none"})");
        var table = new Table().AddColumns("route", "version", "rows", "share", "p50 ms", "p99 ms");
        foreach (var r in status.Routes)
            table.AddRow(r.Route, r.Version.ToString(), r.Rows.ToString("N0"), r.Share.ToString("P1"), Format.Number(r.P50Ms), Format.Number(r.P99Ms));
        o.Write(table);
        if (status.Shadow is { } s)
            o.MarkupLine(Markup.Escape($"shadow v{s.Version}: {s.Compared:N0} requests compared, agreement {(s.Agreement is { } a ? a.ToString("P1") : "–")}" +
                (s.Metric is null ? "" : $"; on {s.WithFeedback:N0} with feedback, {s.Metric} primary {Format.Number(s.Primary!.Value)} vs shadow {Format.Number(s.Shadow!.Value)}")));
    }
}
