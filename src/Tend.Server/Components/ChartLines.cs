using System.Globalization;
using Tend.Core.Domain;

namespace Tend.Server.Components;

/// <summary>One run's line on a metric chart: its label, the polyline's points, and (for downsampled histories) the min–max band.</summary>
public sealed record ChartLine(string Label, string Color, string Points, string? Band, int Count);

/// <summary>
/// Metric histories laid out in an SVG box: steps along x, values along y, both scaled to the range of all lines, so
/// several runs overlay. Each history is already downsampled on the server, so a line has at most a few hundred points.
/// </summary>
public sealed class ChartLines
{
    public const double Width = 640;
    public const double Height = 220;
    private const double Pad = 8;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

    public ChartLines(IReadOnlyList<(string Label, MetricHistory History)> series)
    {
        var points = series.SelectMany(s => s.History.Points).Where(p => !double.IsNaN(p.Value)).ToList();
        if (points.Count == 0)
            return;
        (MinStep, MaxStep) = (points.Min(p => p.Step), points.Max(p => p.Step));
        (MinValue, MaxValue) = (points.Min(p => double.IsNaN(p.Min) ? p.Value : p.Min), points.Max(p => double.IsNaN(p.Max) ? p.Value : p.Max));
        Lines = series.Select((s, i) => Line(s.Label, Colors[i % Colors.Length], s.History)).ToList();
    }

    public IReadOnlyList<ChartLine> Lines { get; } = [];
    public long MinStep { get; }
    public long MaxStep { get; }
    public double MinValue { get; }
    public double MaxValue { get; }

    private ChartLine Line(string label, string color, MetricHistory history)
    {
        var drawn = history.Points.Where(p => !double.IsNaN(p.Value)).ToList();
        var line = string.Join(" ", drawn.Select(p => $"{X(p.Step)},{Y(p.Value)}"));
        var band = history.Downsampled
            ? string.Join(" ", drawn.Select(p => $"{X(p.Step)},{Y(p.Max)}").Concat(drawn.AsEnumerable().Reverse().Select(p => $"{X(p.Step)},{Y(p.Min)}")))
            : null;
        return new ChartLine(label, color, line, band, drawn.Count);
    }

    private string X(long step) => F(Pad + (MaxStep > MinStep ? (step - MinStep) / (double)(MaxStep - MinStep) : 0.5) * (Width - 2 * Pad));

    private string Y(double value) => F(Height - Pad - (MaxValue > MinValue ? (value - MinValue) / (MaxValue - MinValue) : 0.5) * (Height - 2 * Pad));

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
