using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Pipelines.Releases;

namespace Tend.Cli.Commands;

/// <summary><c>tend release</c>: start a judged release of a version, see where it stands, and steer it.</summary>
internal static class ReleaseCommands
{
    private static readonly Argument<string> Model = new("model") { Description = "The model's name" };
    private static readonly Argument<string?> MaybeModel = new("model") { Description = "The model's name (default: the project's)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Argument<int> Version = new("version") { Description = "The challenger: a registered version whose gates let it be champion" };
    private static readonly Option<string> Reason = new("--reason") { Description = "Why, for the audit trail", DefaultValueFactory = _ => "" };

    private static readonly (ReleaseAction Action, string Description)[] Actions =
    [
        (ReleaseAction.Pause, "Stop deciding; the traffic stays as it is"),
        (ReleaseAction.Resume, "Decide again, on the evidence gathered since the step began"),
        (ReleaseAction.Abort, "End the release: the champion serves everything at once"),
        (ReleaseAction.Promote, "Make the challenger champion now, without the remaining steps (gates and approval apply)"),
        (ReleaseAction.Approve, "Approve the first step of a release that waits for a second person (not the one who started it)"),
    ];

    public static Command Create(CliConsole console)
    {
        var status = new Command("status", "The release's state, step and traffic, each check's latest value with its interval and verdict, and every decision") { MaybeModel }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var release = await tend.ReleaseAsync(parsed.GetValue(MaybeModel) ?? (await tend.ProjectAsync(ct)).Name, ct);
                cli.Emit(release, o => Show(o, release));
                return 0;
            });
        var start = new Command("start", "Release a version against the champion under tend.yaml's release: policy (shadow, canary steps, each judged on live evidence)") { Model, Version, Reason }
            .Team(console, async (parsed, cli, tend, ct) =>
            {
                var release = await tend.StartReleaseAsync(parsed.GetValue(Model)!, parsed.GetValue(Version), parsed.GetValue(Reason)!, ct);
                cli.Emit(release, o => Show(o, release));
                return 0;
            });
        var command = new Command("release", "Judged releases: a challenger goes to champion step by step, promoted or rolled back on live evidence against the champion") { status, start };
        foreach (var (action, description) in Actions)
            command.Subcommands.Add(new Command(action.ToString().ToLowerInvariant(), description) { Model, Reason }.Team(console, async (parsed, cli, tend, ct) =>
            {
                var release = await tend.ActOnReleaseAsync(parsed.GetValue(Model)!, action, parsed.GetValue(Reason)!, ct);
                cli.Emit(release, o => Show(o, release));
                return 0;
            }));
        return command;
    }

    private static void Show(IAnsiConsole o, Release r)
    {
        o.MarkupLineInterpolated($"[bold]{r.Model}@{r.Challenger}[/] against champion v{r.Champion}: [bold]{TendJson.Name(r.State)}[/] at {r.Phase}{(r.DryRun ? " (dry run: judged, no traffic moved)" : "")}, release {r.Id}");
        if (r.LastJudged is { } judged)
        {
            o.MarkupLineInterpolated($"checks at {Format.Time(judged.Time)} on {judged.Requests:N0} challenger requests ({judged.Phase}):");
            var table = new Table().AddColumns("check", "verdict", "challenger", "champion", "95% interval", "p", "p (BH)", "rows");
            foreach (var c in judged.Checks)
                table.AddRow(Markup.Escape(c.Name + (c.Critical ? " *" : "")), Verdict(c.Verdict), Figure(c.Challenger), Figure(c.Champion),
                    c.Low is { } low && c.High is { } high ? Markup.Escape($"[{Format.Number(low)}, {Format.Number(high)}]") : "–", Figure(c.PValue), Figure(c.AdjustedPValue), c.Rows.ToString("N0"));
            o.Write(table);
            o.MarkupLine("[grey]* critical: failing it fails the step[/]");
        }
        foreach (var d in r.Decisions)
            o.MarkupLineInterpolated($"{Format.Time(d.Time)}  {d.Phase,-6} {d.Action,-9} {d.Actor}: {d.Reason}");
    }

    private static string Verdict(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Pass => "[green]pass[/]",
        CheckVerdict.Fail => "[red]fail[/]",
        _ => "[yellow]not enough data[/]",
    };

    private static string Figure(double? value) => value is { } v ? Format.Number(v) : "–";
}
