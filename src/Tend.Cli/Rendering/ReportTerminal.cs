using Spectre.Console;
using Tend.Core.Reports;
using Report = Tend.Core.Reports;

namespace Tend.Cli.Rendering;

/// <summary>A document in the terminal: a rule for the title, bold section headings, Spectre tables; figures as the tables that say the same, as in Markdown.</summary>
internal static class ReportTerminal
{
    public static void Write(IAnsiConsole o, Report.Document document)
    {
        o.Write(new Rule($"[bold]{Markup.Escape(document.Title)}[/]").LeftJustified());
        Blocks(o, document.Summary.Undrawn());
        foreach (var section in document.Sections)
            if (section.Blocks.Undrawn() is { Count: > 0 } blocks)
            {
                o.WriteLine();
                o.MarkupLine($"[bold]{Markup.Escape(section.Title)}[/]");
                Blocks(o, blocks);
            }
    }

    private static void Blocks(IAnsiConsole o, IEnumerable<Report.Block> blocks)
    {
        foreach (var block in blocks)
            switch (block)
            {
                case Report.Text t:
                    o.MarkupLine(Toned(t.Tone, t.Value));
                    break;
                case Report.Grid g:
                    o.Write(Table(g));
                    break;
            }
    }

    private static Table Table(Report.Grid grid)
    {
        var table = new Table().AddColumns(grid.Header.Select(Markup.Escape).ToArray());
        for (var i = 0; i < grid.Rows.Count; i++)
        {
            var tone = grid.Flagged.Contains(i) ? Report.Tone.Bad : Report.Tone.Plain;
            table.AddRow(grid.Rows[i].Select(cell => Toned(tone, cell)).ToArray());
        }
        return table;
    }

    private static string Toned(Report.Tone tone, string text) => tone switch
    {
        Report.Tone.Good => $"[green]{Markup.Escape(text)}[/]",
        Report.Tone.Bad => $"[red]{Markup.Escape(text)}[/]",
        _ => Markup.Escape(text),
    };
}
