using System.Globalization;

namespace Tend.Data.Tabular;

/// <summary>How text cells read as typed values and typed values print, the same way everywhere (invariant culture).</summary>
public static class Cells
{
    /// <summary>ISO 8601 only (a date, or a date and time with optional fraction and offset), so 01/02/2020 is never guessed.</summary>
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryNumber(string? cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Whole numbers written without a point or exponent, within 64 bits.</summary>
    public static bool TryInteger(string? cell, out long value) =>
        long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryBoolean(string? cell, out bool value)
    {
        if (cell is null || cell.Length is < 4 or > 5)
        {
            value = false;
            return false;
        }
        value = cell.Equals("true", StringComparison.OrdinalIgnoreCase);
        return value || cell.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An ISO 8601 date or date-time; one with an offset is converted to UTC.</summary>
    public static bool TryDateTime(string? cell, out DateTime value)
    {
        value = default;
        return cell is { Length: >= 10 } && char.IsAsciiDigit(cell[0]) && cell[4] == '-' && cell[7] == '-'
            && DateTime.TryParseExact(cell, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value);
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(bool value) => value ? "true" : "false";

    /// <summary>A date alone when the time is midnight, otherwise ISO 8601 with the fraction as needed.</summary>
    public static string Format(DateTime value) =>
        value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
