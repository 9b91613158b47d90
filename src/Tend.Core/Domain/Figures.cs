using System.Globalization;

namespace Tend.Core.Domain;

/// <summary>
/// How every front end writes a number for people to read (the CLI, the pages, the HTML and Markdown reports, the
/// messages of gates and pipelines): up to four decimals, a tiny value (a p-value, say) in scientific notation rather
/// than as a misleading 0, and a dash for none.
/// </summary>
public static class Figures
{
    public static string Number(double? value) =>
        value is not { } v || double.IsNaN(v) ? "–" : v.ToString(v != 0 && Math.Abs(v) < 1e-4 ? "0.##E+0" : "0.####", CultureInfo.InvariantCulture);

    /// <summary>A share of 1 as a percentage, with up to two decimals.</summary>
    public static string Percent(double? share) => share is { } s && !double.IsNaN(s) ? s.ToString("0.##%", CultureInfo.InvariantCulture) : "–";
}
