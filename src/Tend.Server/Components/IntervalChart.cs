using System.Text;
using Tend.Core.Domain;
using static Tend.Core.Reports.Svg;

namespace Tend.Server.Components;

/// <summary>
/// A metric over time as an inline SVG: each report a point with its 95 % interval as a vertical bar, and the evaluated
/// value as a dashed line; a point whose interval lies wholly on the worse side of that line (concept drift) is red.
/// </summary>
public static class IntervalChart
{
    private const int Height = 220, Pad = 40;

    public sealed record Point(string Label, double Value, double? Low, double? High, bool Worse);

    public static string Svg(string title, IReadOnlyList<Point> points, double? evaluated)
    {
        var values = points.SelectMany(p => new[] { p.Value, p.Low ?? p.Value, p.High ?? p.Value }).Append(evaluated ?? points[0].Value).ToList();
        var (min, max) = (values.Min(), values.Max());
        if (max - min < 1e-9)
            (min, max) = (min - 0.5, max + 0.5);
        var width = Math.Max(360, 2 * Pad + 48 * points.Count);
        double X(int i) => Pad + (i + 0.5) * (width - 2.0 * Pad) / points.Count;
        double Y(double v) => Height - Pad - (v - min) / (max - min) * (Height - 2.0 * Pad);
        var svg = new StringBuilder($"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{Height}' role='img' aria-label='{E(title)}' data-testid='performance-chart'>" +
            $"<title>{E(title)}</title><text x='{width / 2}' y='16' font-size='13' text-anchor='middle' font-weight='bold'>{E(title)}</text>" +
            $"<rect x='{Pad}' y='{Pad}' width='{width - 2 * Pad}' height='{Height - 2 * Pad}' fill='none' stroke='#888'/>" +
            $"<text x='{Pad - 4}' y='{F(Y(max))}' font-size='10' text-anchor='end'>{F(max)}</text><text x='{Pad - 4}' y='{F(Y(min))}' font-size='10' text-anchor='end'>{F(min)}</text>");
        if (evaluated is { } e)
            svg.Append($"<line x1='{Pad}' y1='{F(Y(e))}' x2='{width - Pad}' y2='{F(Y(e))}' stroke='#999' stroke-dasharray='4 3'/><text x='{width - Pad}' y='{F(Y(e) - 4)}' font-size='10' text-anchor='end' fill='#777'>evaluated {F(e)}</text>");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            var colour = p.Worse ? "#c33" : "#4e79a7";
            if (p.Low is { } low && p.High is { } high)
                svg.Append($"<line x1='{F(X(i))}' y1='{F(Y(low))}' x2='{F(X(i))}' y2='{F(Y(high))}' stroke='{colour}' stroke-width='2'/>");
            svg.Append($"<circle cx='{F(X(i))}' cy='{F(Y(p.Value))}' r='4' fill='{colour}'><title>{E(p.Label)}: {F(p.Value)} ({F(p.Low)} to {F(p.High)})</title></circle>");
            svg.Append($"<text x='{F(X(i))}' y='{Height - Pad + 14}' font-size='9' text-anchor='middle'>{E(p.Label)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string F(double? v) => Figures.Number(v);
}
