using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

internal static class AuditCommand
{
    private static readonly Option<string?> Subject = new("--subject") { Description = "Only events whose subject starts with this (e.g. spam@champion, a run id)" };
    private static readonly Option<string?> Since = new("--since") { Description = "Only events at or after this time (ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00Z)" };

    public static Command Create(CliConsole console)
    {
        var verify = new Command("verify", "Recompute the hash chain; exit 6 at the first broken link").Team(console, async (_, cli, tend, ct) =>
        {
            var events = await tend.AuditAsync(null, null, ct); // checked here, on this machine: a server's word that its trail is intact is not taken
            var check = AuditVerification.Of(events);
            var broken = events.FirstOrDefault(e => e.Sequence == check.FirstBroken);
            cli.Emit(check, o => o.MarkupLine(broken is null
                ? $"hash chain intact: {check.Events} events, head {check.Head}"
                : $"[red]hash chain broken at event {broken.Sequence}[/] ({Markup.Escape(broken.Action)} on {Markup.Escape(broken.Subject)}): it was changed, or an event before it was removed"));
            if (broken is null)
                return 0;
            cli.Stderr.WriteLine($"error: audit hash chain broken at event {broken.Sequence}");
            return ErrorCode.Conflict.ExitCode();
        });
        var audit = new Command("audit", "The audit trail of every state change: who, when, what, why, before and after") { Subject, Since, verify };
        return audit.Team(console, async (parsed, cli, tend, ct) =>
        {
            var since = parsed.GetValue(Since) is { } text
                ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
                    : throw TendException.BadUsage($"--since '{text}' is not a time; expected ISO 8601, e.g. 2026-11-01 or 2026-11-01T12:00Z")
                : (DateTimeOffset?)null;
            var events = await tend.AuditAsync(parsed.GetValue(Subject), since, ct);
            cli.Emit(new { events }, o =>
            {
                var table = new Table().AddColumns("#", "time", "actor", "action", "subject", "reason");
                foreach (var e in events)
                    table.AddRow(e.Sequence.ToString(), Format.Time(e.Time), Markup.Escape(e.Actor), e.Action, Markup.Escape(e.Subject), Markup.Escape(e.Reason));
                o.Write(table);
            });
            return 0;
        });
    }
}
