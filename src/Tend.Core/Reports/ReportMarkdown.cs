using System.Text;

namespace Tend.Core.Reports;

/// <summary>A document as Markdown (the model card's file): figures as the tables that say the same (a section with nothing else is left out), tones left to the words.</summary>
public static class ReportMarkdown
{
    public static string Render(Document document)
    {
        var md = new StringBuilder($"# {document.Title}\n\n");
        Blocks(md, document.Summary.Undrawn());
        foreach (var section in document.Sections)
            if (section.Blocks.Undrawn() is { Count: > 0 } blocks)
            {
                md.Append($"## {section.Title}\n\n");
                Blocks(md, blocks);
            }
        return md.ToString();
    }

    private static void Blocks(StringBuilder md, IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
            switch (block)
            {
                case Text t:
                    md.Append(t.Value).Append("\n\n");
                    break;
                case Grid g:
                    Table(md, g);
                    break;
            }
    }

    private static void Table(StringBuilder md, Grid grid)
    {
        md.Append(Row(grid.Header)).Append(Row(grid.Header.Select(_ => "---")));
        foreach (var row in grid.Rows)
            md.Append(Row(row));
        md.Append('\n');
    }

    private static string Row(IEnumerable<string> cells) => $"| {string.Join(" | ", cells.Select(c => c.Replace("|", "\\|").Replace("\n", " ")))} |\n";
}
