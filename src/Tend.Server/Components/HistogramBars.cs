using Tend.Core.Domain;

namespace Tend.Server.Components;

/// <summary>One bar of a drawn histogram: the values in [<see cref="Low"/>, <see cref="High"/>) (the last bar closed).</summary>
public sealed record Bar(double Low, double High, long Count);

/// <summary>Equal-width bars between a numeric column's min and max, counted from the reference distribution stored in its profile.</summary>
public static class HistogramBars
{
    public const int Bins = 20;

    public static IReadOnlyList<Bar> Of(ColumnProfile column)
    {
        if (column.Distribution is not { Values.Count: > 0 } distribution || column.Min is not { } min || column.Max is not { } max)
            return [];
        var bins = max > min ? Bins : 1;
        var width = max > min ? (max - min) / bins : 1;
        var counts = new long[bins];
        for (var i = 0; i < distribution.Values.Count; i++)
            counts[Math.Clamp((int)((distribution.Values[i] - min) / width), 0, bins - 1)] += distribution.Weights[i];
        return counts.Select((count, k) => new Bar(min + k * width, k == bins - 1 ? max : min + (k + 1) * width, count)).ToList();
    }
}
