using System.CommandLine;
using Spectre.Console;
using Tend.Core.Errors;
using Tend.Pipelines;

namespace Tend.Cli.Commands;

internal static class DoctorCommand
{
    private static readonly Option<bool> Repair = new("--repair") { Description = "Fix what can be fixed safely (end stuck runs as killed, delete files nothing refers to), reporting each action" };
    private static readonly Option<int> Grace = new("--grace")
    {
        Description = "Minutes a file nothing refers to must be old before --repair deletes it (a command running meanwhile stores its files before it records them); 0 when no other tend is running",
        DefaultValueFactory = _ => (int)Doctor.DefaultGrace.TotalMinutes,
    };

    public static Command Create(CliConsole console) =>
        new Command("doctor", "Check the workspace: the store's integrity, the audit chain, stuck runs, missing or changed files, orphan files, leftover temp files; exit 6 while a problem remains")
        { Repair, Grace }.Run(console, async (parsed, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            if (parsed.GetValue(Grace) < 0)
                throw TendException.BadUsage($"--grace must be 0 or more minutes, got {parsed.GetValue(Grace)}");
            var report = await Doctor.ExamineAsync(tend.Workspace, parsed.GetValue(Repair), TimeSpan.FromMinutes(parsed.GetValue(Grace)), ct);
            cli.Emit(report, o =>
            {
                var table = new Table().AddColumns("check", "examined", "found");
                foreach (var check in report.Checks)
                    table.AddRow(new Markup(check.Name), new Markup($"{check.Examined} [grey]({Markup.Escape(check.Examines)})[/]"), new Markup(check.Findings.Count == 0 ? "[green]ok[/]"
                        : string.Join("\n", check.Findings.Select(f => $"{(f.Repair is null ? "[red]✗[/]" : "[green]✓[/]")} {Markup.Escape(f.Subject)}: {Markup.Escape(f.Problem)}{(f.Repair is { } r ? $" [green]→ {Markup.Escape(r)}[/]" : "")}"))));
                o.Write(table);
                o.MarkupLine(report.Healthy ? "[green]healthy[/]" : report.Repaired ? "[red]problems remain that cannot be repaired safely[/]" : "[red]problems found[/]; tend doctor --repair fixes what it safely can");
            });
            if (report.Healthy)
                return 0;
            cli.Stderr.WriteLine($"error: {report.Checks.Sum(c => c.Findings.Count(f => f.Repair is null))} problems remain");
            return ErrorCode.Conflict.ExitCode();
        });
}
