using Spectre.Console;
using Tend.Core.Domain;
using Tend.Pipelines;

namespace Tend.Cli.Rendering;

internal static partial class Views
{
    public static void Anomalies(IAnsiConsole o, ValidationReport? report)
    {
        if (report is null || report.Anomalies.Count == 0)
        {
            o.MarkupLine("[green]no anomalies[/]");
            return;
        }
        var table = new Table().AddColumns("severity", "kind", "column", "detail", "examples");
        foreach (var a in report.Anomalies)
            table.AddRow(a.Severity == Severity.Error ? "[red]error[/]" : "[yellow]warning[/]", a.Kind, Markup.Escape(a.Column),
                Markup.Escape(a.Detail), Markup.Escape(string.Join("; ", a.Examples ?? [])));
        o.Write(table);
    }

    public static void Schema(IAnsiConsole o, DatasetVersion v)
    {
        o.MarkupLineInterpolated($"[bold]{v.Reference}[/] schema revision {v.Schema.Revision}");
        var table = new Table().AddColumns("column", "type", "nullable", "range", "categories");
        foreach (var c in v.Schema.Columns)
            table.AddRow(Markup.Escape(c.Name), c.Type.Text(), c.Nullable ? "yes" : "no",
                c.Min is null ? "" : $"[[{N(c.Min)}, {N(c.Max)}]]", Markup.Escape(Shorten(string.Join(", ", c.Domain ?? []), 60)));
        o.Write(table);
    }

    public static void Diff(IAnsiConsole o, DatasetDiff d)
    {
        o.MarkupLineInterpolated($"[bold]{d.From}[/] → [bold]{d.To}[/]: rows {d.RowsFrom} → {d.RowsTo} ({d.RowsTo - d.RowsFrom:+#;-#;0})");
        if (d.SchemaChanges.Count == 0)
            o.MarkupLine("schema: no change");
        else
        {
            var changes = new Table().AddColumns("column", "change", "before", "after");
            foreach (var c in d.SchemaChanges)
                changes.AddRow(Markup.Escape(c.Column), c.Change, Markup.Escape(Shorten(c.Before ?? "", 50)), Markup.Escape(Shorten(c.After ?? "", 50)));
            o.Write(changes);
        }
        var table = new Table().AddColumns("column", "statistic", "value", "threshold", "changed");
        foreach (var f in d.Columns)
            table.AddRow(Markup.Escape(f.Name), f.Statistic, Format.Number(f.Value), Format.Number(f.Threshold), f.Drifted ? "[red]yes[/]" : "no");
        o.Write(table);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
