using System.Text;
using static Tend.Evaluation.Reports.Svg;

namespace Tend.Evaluation.Reports;

/// <summary>A part of a report: a paragraph, a table, or charts.</summary>
public abstract record Block;

/// <summary>A paragraph of plain text.</summary>
public sealed record Text(string Value) : Block;

/// <summary>A table: the first column is a label, the rest are values.</summary>
public sealed record Grid(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows) : Block;

/// <summary>Inline SVG charts side by side, with the table that says the same for formats that cannot draw (Markdown).</summary>
public sealed record Figure(IReadOnlyList<string> Charts, Grid? Fallback = null) : Block;

public sealed record Section(string Title, IReadOnlyList<Block> Blocks);

/// <summary>
/// Sections written once and rendered as HTML (the evaluation report, the model card's page, the web UI) or as Markdown
/// (the model card's file), so every format says the same.
/// </summary>
public static class Document
{
    public static string Html(IEnumerable<Section> sections)
    {
        var html = new StringBuilder();
        foreach (var section in sections)
        {
            html.Append($"<h2>{E(section.Title)}</h2>");
            foreach (var block in section.Blocks)
                html.Append(block switch
                {
                    Text t => $"<p>{E(t.Value)}</p>",
                    Grid g => $"<table><tr>{string.Concat(g.Header.Select(h => $"<th>{E(h)}</th>"))}</tr>{string.Concat(g.Rows.Select(r => $"<tr>{string.Concat(r.Select(c => $"<td>{E(c)}</td>"))}</tr>"))}</table>",
                    Figure f => $"<div class='charts'>{string.Concat(f.Charts)}</div>",
                    _ => throw new ArgumentOutOfRangeException(nameof(sections), block, "unknown block"),
                });
        }
        return html.ToString();
    }

    public static string Markdown(IEnumerable<Section> sections)
    {
        var md = new StringBuilder();
        foreach (var section in sections)
        {
            md.Append($"## {section.Title}\n\n");
            foreach (var block in section.Blocks)
                switch (block)
                {
                    case Text t:
                        md.Append(t.Value).Append("\n\n");
                        break;
                    case Grid g:
                        AppendTable(md, g);
                        break;
                    case Figure { Fallback: { } g }:
                        AppendTable(md, g);
                        break;
                }
        }
        return md.ToString();
    }

    private static void AppendTable(StringBuilder md, Grid grid)
    {
        md.Append(Row(grid.Header)).Append(Row(grid.Header.Select(_ => "---")));
        foreach (var row in grid.Rows)
            md.Append(Row(row));
        md.Append('\n');
    }

    private static string Row(IEnumerable<string> cells) => $"| {string.Join(" | ", cells.Select(c => c.Replace("|", "\\|").Replace("\n", " ")))} |\n";

    /// <summary>The page around the sections: title, inline styles, nothing fetched.</summary>
    public static string Page(string title, string heading, string sections) =>
        $"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{E(title)}</title><style>{Style}</style></head><body>{heading}{sections}</body></html>";

    /// <summary>The report's styles for a page of its own.</summary>
    public static string Style => "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}" + StyleWithin("");

    /// <summary>The report's styles applied only inside <paramref name="scope"/> (a CSS selector), for a page that embeds it.</summary>
    public static string StyleWithin(string scope) => string.Concat(Rules.Select(r => $"{string.Join(",", r.Selectors.Split(',').Select(s => $"{scope} {s}".Trim()))}{{{r.Declarations}}}"));

    private static readonly (string Selectors, string Declarations)[] Rules =
    [
        ("table", "border-collapse:collapse;margin:.5em 0"), ("td,th", "border:1px solid #ccc;padding:3px 8px;text-align:right"), ("th", "background:#f3f3f3"),
        ("td:first-child", "text-align:left"), (".pass", "color:#2a7"), (".fail", "color:#c33"), (".charts", "display:flex;flex-wrap:wrap;gap:1em"),
    ];
}
