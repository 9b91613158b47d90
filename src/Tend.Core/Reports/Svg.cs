using System.Globalization;
using System.Net;
using System.Text;
using Tend.Core.Domain;

namespace Tend.Core.Reports;

/// <summary>Small inline SVG charts for self-contained HTML: no script, no CDN, so a report opens offline and prints.</summary>
public static class Svg
{
    private const int Width = 360, Height = 260, Pad = 40;

    public static string Draw(Chart chart) => chart switch
    {
        LineChart c => Lines(c),
        BarChart c => Bars(c),
        PairedBars c => Paired(c),
        ScatterChart c => Scatter(c),
        _ => throw new ArgumentOutOfRangeException(nameof(chart), chart, "unknown chart"),
    };

    private static string Lines(LineChart chart)
    {
        var svg = Open(chart.Title);
        Axes(svg, chart.XLabel, chart.YLabel, (0, 1), (0, 1));
        if (chart.Diagonal)
            svg.Append($"<line x1='{X(0)}' y1='{Y(0)}' x2='{X(1)}' y2='{Y(1)}' stroke='#bbb' stroke-dasharray='4 3'/>");
        var legend = 0;
        foreach (var (name, colour, points) in chart.Series)
        {
            var path = string.Join(" ", points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select(p => $"{X(p.X)},{Y(p.Y)}"));
            svg.Append($"<polyline fill='none' stroke='{colour}' stroke-width='2' points='{path}'/>");
            svg.Append($"<text x='{Width - Pad - 90}' y='{Pad + 14 * ++legend}' font-size='11' fill='{colour}'>{E(name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Bars(BarChart chart)
    {
        var (title, bars) = (chart.Title, chart.Bars);
        var max = bars.Count == 0 ? 1 : Math.Max(1e-12, bars.Max(b => Math.Abs(b.Value)));
        var height = 30 + 18 * bars.Count;
        var svg = new StringBuilder($"<svg xmlns='http://www.w3.org/2000/svg' width='{Width + 140}' height='{height}' role='img' aria-label='{E(title)}'><title>{E(title)}</title>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = 20 + 18 * i;
            var w = Math.Max(0, bars[i].Value) / max * (Width - 60);
            svg.Append($"<text x='135' y='{y + 12}' font-size='11' text-anchor='end'>{E(bars[i].Label)}</text>");
            svg.Append($"<rect x='140' y='{y}' width='{F(w)}' height='14' fill='#4e79a7'/>");
            svg.Append($"<text x='{F(145 + w)}' y='{y + 12}' font-size='11'>{F(bars[i].Value, "0.####")}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Paired bars, reference grey and current blue, shares on a common scale.</summary>
    private static string Paired(PairedBars chart)
    {
        var (title, bins, reference, current) = (chart.Title, chart.Bins, chart.Reference, chart.Current);
        var max = Math.Max(1e-12, reference.Concat(current).DefaultIfEmpty(0).Max());
        var width = Math.Max(Width, 2 * Pad + 28 * bins.Count);
        var plot = Height - 2 * Pad - 30;
        var svg = new StringBuilder($"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{Height}' role='img' aria-label='{E(title)}'><title>{E(title)}</title>" +
            $"<text x='{width / 2}' y='16' font-size='13' text-anchor='middle' font-weight='bold'>{E(title)}</text>" +
            $"<text x='{Pad}' y='32' font-size='11' fill='#999'>■ reference</text><text x='{Pad + 80}' y='32' font-size='11' fill='#4e79a7'>■ current</text>");
        var step = (width - 2.0 * Pad) / Math.Max(1, bins.Count);
        var baseline = Height - Pad - 30;
        for (var i = 0; i < bins.Count; i++)
        {
            var x = Pad + i * step;
            foreach (var (share, offset, colour) in new[] { (reference[i], 0.1, "#999"), (current[i], 0.5, "#4e79a7") })
            {
                var h = share / max * plot;
                svg.Append($"<rect x='{F(x + offset * step)}' y='{F(baseline - h)}' width='{F(0.4 * step)}' height='{F(h)}' fill='{colour}'><title>{E(bins[i])}: {F(share, "0.####")}</title></rect>");
            }
            svg.Append($"<text x='{F(x + step / 2)}' y='{baseline + 12}' font-size='9' text-anchor='end' transform='rotate(-40 {F(x + step / 2)} {baseline + 12})'>{E(bins[i].Length > 14 ? bins[i][..13] + "…" : bins[i])}</text>");
        }
        svg.Append($"<line x1='{Pad}' y1='{baseline}' x2='{width - Pad}' y2='{baseline}' stroke='#888'/>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Points scaled to the plot's square by their range, and a dashed line at y = 0 when the range holds it.</summary>
    private static string Scatter(ScatterChart chart)
    {
        var points = chart.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var x = Range(points.Select(p => p.X));
        var y = Range(points.Select(p => p.Y));
        var svg = Open(chart.Title);
        Axes(svg, chart.XLabel, chart.YLabel, x, y);
        if (y.Min < 0 && y.Max > 0)
            svg.Append($"<line x1='{X(0)}' y1='{Y(Scale(0, y))}' x2='{X(1)}' y2='{Y(Scale(0, y))}' stroke='#bbb' stroke-dasharray='4 3'/>");
        foreach (var p in points)
            svg.Append($"<circle cx='{X(Scale(p.X, x))}' cy='{Y(Scale(p.Y, y))}' r='2' fill='#4e79a7' fill-opacity='0.6'/>");
        return svg.Append("</svg>").ToString();
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var (min, max) = values.Aggregate((Min: double.PositiveInfinity, Max: double.NegativeInfinity), (r, v) => (Math.Min(r.Min, v), Math.Max(r.Max, v)));
        return double.IsFinite(min) ? (min, max > min ? max : min + 1) : (0, 1);
    }

    private static double Scale(double value, (double Min, double Max) range) => (value - range.Min) / (range.Max - range.Min);

    private static StringBuilder Open(string title) =>
        new($"<svg xmlns='http://www.w3.org/2000/svg' width='{Width}' height='{Height}' role='img' aria-label='{E(title)}'><title>{E(title)}</title>" +
            $"<text x='{Width / 2}' y='16' font-size='13' text-anchor='middle' font-weight='bold'>{E(title)}</text>");

    /// <summary>The plot's frame and labels, with ticks at the start, middle and end of each axis's range.</summary>
    private static void Axes(StringBuilder svg, string xLabel, string yLabel, (double Min, double Max) x, (double Min, double Max) y)
    {
        svg.Append($"<rect x='{Pad}' y='{Pad}' width='{Width - 2 * Pad}' height='{Height - 2 * Pad}' fill='none' stroke='#888'/>");
        foreach (var t in new[] { 0.0, 0.5, 1.0 })
            svg.Append($"<text x='{X(t)}' y='{Height - Pad + 14}' font-size='10' text-anchor='middle'>{Tick(x, t)}</text><text x='{Pad - 4}' y='{Y(t) + 3}' font-size='10' text-anchor='end'>{Tick(y, t)}</text>");
        svg.Append($"<text x='{Width / 2}' y='{Height - 6}' font-size='11' text-anchor='middle'>{E(xLabel)}</text>");
        svg.Append($"<text x='12' y='{Height / 2}' font-size='11' text-anchor='middle' transform='rotate(-90 12 {Height / 2})'>{E(yLabel)}</text>");
    }

    private static string Tick((double Min, double Max) range, double t) => Figures.Number(Math.Round(range.Min + t * (range.Max - range.Min), 4));

    private static string X(double x) => F(Pad + Math.Clamp(x, 0, 1) * (Width - 2 * Pad));
    private static string Y(double y) => F(Height - Pad - Math.Clamp(y, 0, 1) * (Height - 2 * Pad));
    private static string F(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
    public static string E(string text) => WebUtility.HtmlEncode(text);
}
