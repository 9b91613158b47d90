using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Rendering;
using Tend.Core.Spec;
using Tend.Pipelines.Services;

namespace Tend.Cli.Commands;

internal static class ProjectsCommands
{
    private static readonly Argument<string> Name = new("name") { Description = "The project's name (its tend.yaml's name)" };

    public static Command Create(CliConsole console)
    {
        var list = new Command("list", "The projects in the store, each at its current tend.yaml revision").Run(console, async (_, cli, ct) =>
        {
            await using var tend = await cli.OpenAsync(ct);
            var projects = await tend.Get<ProjectService>().ListAsync(ct);
            cli.Emit(new { projects }, o =>
            {
                var table = new Table().AddColumns("project", "problem", "revision", "since", "by", "folder");
                foreach (var p in projects)
                    table.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Spec is { } spec ? $"{spec.Task.ToString().ToLowerInvariant()}, label {spec.Label}, {spec.Metric.Name} bar {Format.Number(spec.Metric.Bar)}" : p.Problem!),
                        p.Current.Revision[..12], Format.Time(p.Current.Created), Markup.Escape(p.Current.Actor), Markup.Escape(p.Current.Folder));
                o.Write(table);
            });
            return 0;
        });
        var history = new Command("history", $"Every {SpecLoader.FileName} revision a project has had, oldest first ('tend audit --subject project:NAME' says what changed)") { Name }
            .Run(console, async (parsed, cli, ct) =>
            {
                await using var tend = await cli.OpenAsync(ct);
                var revisions = await tend.Get<ProjectService>().HistoryAsync(parsed.GetValue(Name)!, ct);
                cli.Emit(new { revisions }, o =>
                {
                    var table = new Table().AddColumns("revision", "created", "by", "folder");
                    foreach (var r in revisions)
                        table.AddRow(r.Revision[..12], Format.Time(r.Created), Markup.Escape(r.Actor), Markup.Escape(r.Folder));
                    o.Write(table);
                });
                return 0;
            });
        return new Command("projects", "The projects that share this workspace's store") { list, history };
    }
}
