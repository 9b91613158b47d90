namespace Tend.Core.Reports;

/// <summary>What a chart shows, not how: the HTML renderer draws it as inline SVG, the terminal draws bars.</summary>
public abstract record Chart(string Title);

/// <summary>Lines through (x, y) points on the unit square, with an optional dashed diagonal for reference (ROC, calibration).</summary>
public sealed record LineChart(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series, bool Diagonal) : Chart(Title);

public sealed record Series(string Name, string Colour, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Horizontal bars, in the order given, with their values.</summary>
public sealed record BarChart(string Title, IReadOnlyList<(string Label, double Value)> Bars) : Chart(Title);

/// <summary>Two distributions over the same bins side by side: the reference and the current shares.</summary>
public sealed record PairedBars(string Title, IReadOnlyList<string> Bins, IReadOnlyList<double> Reference, IReadOnlyList<double> Current) : Chart(Title);

/// <summary>Points drawn where they fall within their range, with a dashed line at y = 0 (residuals against predictions).</summary>
public sealed record ScatterChart(string Title, string XLabel, string YLabel, IReadOnlyList<(double X, double Y)> Points) : Chart(Title);
