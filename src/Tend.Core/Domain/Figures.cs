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

    /// <summary>
    /// A number to <paramref name="digits"/> significant digits, for a page where columns of numbers are scanned (0.9877,
    /// 12.35, 185,400); a tiny or huge one in scientific notation; a dash for none.
    /// </summary>
    public static string Significant(double? value, int digits = 4)
    {
        if (value is not { } v || double.IsNaN(v))
            return "–";
        if (v == 0 || double.IsInfinity(v))
            return v.ToString(CultureInfo.InvariantCulture);
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        if (magnitude < -4 || magnitude >= 9)
            return v.ToString($"0.{new string('#', digits - 1)}E+0", CultureInfo.InvariantCulture);
        var decimals = digits - 1 - magnitude;
        return decimals >= 0
            ? Math.Round(v, decimals).ToString("#,0." + new string('#', decimals), CultureInfo.InvariantCulture)
            : (Math.Round(v / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals)).ToString("#,0", CultureInfo.InvariantCulture);
    }

    /// <summary>Every digit of a number (round-trip), for a page's hover text.</summary>
    public static string Full(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A share of 1 as a percentage, with up to two decimals.</summary>
    public static string Percent(double? share) => share is { } s && !double.IsNaN(s) ? s.ToString("0.##%", CultureInfo.InvariantCulture) : "–";
}
