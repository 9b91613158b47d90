using System.Globalization;
using System.Net;
using System.Text;

namespace Tend.Server.Components;

/// <summary>
/// A graph drawn left to right as SVG, at its own size (a wider one scrolls in its box rather than shrinking its text):
/// boxes in columns by their layer, stacked in each column in the order given, each with a label, a detail, a tooltip
/// and perhaps a link; edges as curves with arrows. A layer with no box takes no column.
/// </summary>
public static class DagDrawing
{
    /// <param name="Kind">What the box is, as its <c>data-kind</c> (for tests and styles).</param>
    public sealed record Box(int Id, int Layer, string Colour, string Kind, string Label, string Detail, string? Link = null, string? Name = null);

    /// <summary>Sized so that a lineage of seven columns (two dataset versions, an evaluation, an alias move) fits a 1280 px window unscaled.</summary>
    private const int Width = 150, Height = 46, ColumnGap = 18, RowGap = 12, Pad = 8;

    public static string Svg(IReadOnlyList<Box> boxes, IEnumerable<(int From, int To)> edges, string testId)
    {
        var columns = boxes.Select(n => n.Layer).Distinct().Order().Select((layer, column) => (layer, column)).ToDictionary(l => l.layer, l => l.column);
        var rows = new Dictionary<int, int>();
        var at = new Dictionary<int, (double X, double Y)>();
        foreach (var box in boxes)
        {
            var column = columns[box.Layer];
            var row = rows.GetValueOrDefault(column);
            rows[column] = row + 1;
            at[box.Id] = (Pad + column * (Width + ColumnGap), Pad + row * (Height + RowGap));
        }
        var width = Pad * 2 + (rows.Keys.Max() + 1) * (Width + ColumnGap) - ColumnGap;
        var height = Pad * 2 + rows.Values.Max() * (Height + RowGap) - RowGap;
        var svg = new StringBuilder($"<svg xmlns='http://www.w3.org/2000/svg' data-testid='{testId}' width='{width}' height='{height}' viewBox='0 0 {width} {height}' style='max-width:none' font-family='system-ui,sans-serif'>");
        svg.Append("<defs><marker id='arrow' viewBox='0 0 8 8' refX='8' refY='4' markerWidth='7' markerHeight='7' orient='auto'><path d='M0,0 L8,4 L0,8 z' fill='#888'/></marker></defs>");
        foreach (var (from, to) in edges)
        {
            var (a, b) = (at[from], at[to]);
            var (x1, y1, x2, y2) = (a.X + Width, a.Y + Height / 2.0, b.X, b.Y + Height / 2.0);
            var bend = (x2 - x1) / 2;
            svg.Append($"<path data-edge='{from}-{to}' d='M{N(x1)},{N(y1)} C{N(x1 + bend)},{N(y1)} {N(x2 - bend)},{N(y2)} {N(x2)},{N(y2)}' fill='none' stroke='#888' marker-end='url(#arrow)'/>");
        }
        foreach (var box in boxes)
        {
            var (x, y) = at[box.Id];
            var name = box.Name is null ? "" : $" data-name='{E(box.Name)}'";
            var drawn = $"<g data-kind='{E(box.Kind)}'{name}><title>{E(box.Label)}: {E(box.Detail)}</title>" +
                        $"<rect x='{N(x)}' y='{N(y)}' width='{Width}' height='{Height}' rx='6' fill='{box.Colour}' fill-opacity='0.25' stroke='{box.Colour}'/>" +
                        $"<text x='{N(x + 8)}' y='{N(y + 18)}' font-size='12' font-weight='600'>{E(Clip(box.Label, 21))}</text>" +
                        $"<text x='{N(x + 8)}' y='{N(y + 35)}' font-size='10.5' fill='#444'>{E(Clip(box.Detail, 27))}</text></g>";
            svg.Append(box.Link is null ? drawn : $"<a href='{E(box.Link)}'>{drawn}</a>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
