using System.Text;
using static Tend.Core.Reports.Svg;

namespace Tend.Core.Reports;

/// <summary>
/// A document as HTML: a self-contained page (styles inline, charts as inline SVG, nothing fetched, so it opens offline
/// and prints), or its sections alone for a page that embeds them (the web UI).
/// </summary>
public static class ReportHtml
{
    public static string Page(Document document) =>
        $"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{E(document.Title)}</title><style>{Style}</style></head><body>" +
        $"<h1>{E(document.Title)}</h1>{Blocks(document.Summary)}{Sections(document.Sections)}</body></html>";

    public static string Sections(IEnumerable<Section> sections) =>
        string.Concat(sections.Select(section => $"<h2>{E(section.Title)}</h2>{Blocks(section.Blocks)}"));

    private static string Blocks(IEnumerable<Block> blocks) => string.Concat(blocks.Select(block => block switch
    {
        Text t => $"<p{Class(t.Tone)}>{E(t.Value)}</p>",
        Grid g => Table(g),
        Figure f => $"<div class='charts'>{string.Concat(f.Charts.Select(Draw))}</div>",
        _ => throw new ArgumentOutOfRangeException(nameof(blocks), block, "unknown block"),
    }));

    private static string Table(Grid grid)
    {
        var html = new StringBuilder("<table><tr>");
        html.Append(string.Concat(grid.Header.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>");
        for (var i = 0; i < grid.Rows.Count; i++)
            html.Append($"<tr{Class(grid.Flagged.Contains(i) ? Tone.Bad : Tone.Plain)}>{string.Concat(grid.Rows[i].Select(c => $"<td>{E(c)}</td>"))}</tr>");
        return html.Append("</table>").ToString();
    }

    private static string Class(Tone tone) => tone switch { Tone.Good => " class='pass'", Tone.Bad => " class='fail'", _ => "" };

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
