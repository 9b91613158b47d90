using System.Globalization;
using Tend.Core.Domain;

namespace Tend.Server.Components;

/// <summary>How the pages print numbers: 4 significant digits (every digit on hover, <see cref="Num"/>), a dash for none.</summary>
public static class Show
{
    public static string Number(double? value) => Figures.Significant(value);

    public static string Percent(double? share) => Figures.Percent(share);

    /// <summary>A stored text that is a number (a metric or a param compared as text): its value, else null.</summary>
    public static double? AsNumber(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v) ? v : null;
}
