namespace Tend.Core.Reports;

/// <summary>
/// A report described once, apart from how it is shown: a title, a summary, then sections of text, tables and figures.
/// Evaluation, monitoring and the model card produce one; <see cref="ReportHtml"/>, <see cref="ReportMarkdown"/> and
/// the CLI's terminal renderer show it, so every format says the same.
/// </summary>
public sealed record Document(string Title, IReadOnlyList<Block> Summary, IReadOnlyList<Section> Sections);

public sealed record Section(string Title, IReadOnlyList<Block> Blocks);

/// <summary>A part of a section: a paragraph, a table, or charts.</summary>
public abstract record Block;

/// <summary>Whether a paragraph or a table row is good news, bad news, or neither; renderers colour it.</summary>
public enum Tone
{
    Plain,
    Good,
    Bad,
}

/// <summary>A paragraph of plain text.</summary>
public sealed record Text(string Value, Tone Tone = Tone.Plain) : Block;

/// <summary>A table: the first column is a label, the rest are values; the rows at <see cref="Flagged"/> are bad news (a failed gate, a drifted column).</summary>
public sealed record Grid(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows) : Block
{
    public IReadOnlySet<int> Flagged { get; init; } = new HashSet<int>();

    /// <summary>A table whose rows are flagged where <paramref name="bad"/> holds.</summary>
    public static Grid Of<T>(IReadOnlyList<string> header, IEnumerable<T> items, Func<T, string[]> row, Func<T, bool> bad)
    {
        var list = items.ToList();
        return new Grid(header, list.Select(row).ToList()) { Flagged = Enumerable.Range(0, list.Count).Where(i => bad(list[i])).ToHashSet() };
    }
}

/// <summary>Charts side by side, with the table that says the same for formats that cannot draw (Markdown, the terminal); without one they leave it out.</summary>
public sealed record Figure(IReadOnlyList<Chart> Charts, Grid? Fallback = null) : Block;

public static class TextFormats
{
    /// <summary>The blocks as formats that cannot draw show them: each figure as its table, or left out when it has none.</summary>
    public static IReadOnlyList<Block> Undrawn(this IEnumerable<Block> blocks) =>
        blocks.Select(block => block is Figure figure ? figure.Fallback : block).OfType<Block>().ToList();
}
