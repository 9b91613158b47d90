using System.Globalization;
using System.Runtime.CompilerServices;

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

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    public static bool TryNumber(string? cell, out double value)
    {
        value = 0;
        return cell is not null && TryNumber(cell.AsSpan(), out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryNumber(ReadOnlySpan<char> cell, out double value) =>
        TryPlainDecimal(cell, out value)
        || (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value));

    /// <summary>Whole numbers written without a point or exponent, within 64 bits.</summary>
    public static bool TryInteger(string? cell, out long value)
    {
        value = 0;
        return cell is not null && TryInteger(cell.AsSpan(), out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryInteger(ReadOnlySpan<char> cell, out long value)
    {
        if (cell.Length is > 0 and < 19)
        {
            var negative = cell[0] == '-';
            var i = negative || cell[0] == '+' ? 1 : 0;
            long n = 0;
            var digits = 0;
            for (; i < cell.Length && char.IsAsciiDigit(cell[i]); i++, digits++)
                n = n * 10 + (cell[i] - '0');
            if (i == cell.Length && digits > 0)
            {
                value = negative ? -n : n;
                return true;
            }
            value = 0;
            return false;
        }
        return long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The common case fast: [-]digits[.digits] whose digits make an integer m below 2^53 with at most 22 after the
    /// point is m / 10^k with both exact in a double, so one division rounds correctly (Clinger's fast path) and
    /// gives what double.Parse gives. Anything else (exponents, long mantissas) falls back to double.Parse.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPlainDecimal(ReadOnlySpan<char> cell, out double value)
    {
        value = 0;
        var i = 0;
        var negative = false;
        if (cell.Length > 0 && (cell[0] == '-' || cell[0] == '+'))
        {
            negative = cell[0] == '-';
            i = 1;
        }
        var start = i;
        ulong mantissa = 0;
        for (uint d; i < cell.Length && (d = (uint)(cell[i] - '0')) <= 9; i++)
            mantissa = mantissa * 10 + d;
        var integerDigits = i - start;
        var fraction = 0;
        if (i < cell.Length && cell[i] == '.')
        {
            var point = ++i;
            for (uint d; i < cell.Length && (d = (uint)(cell[i] - '0')) <= 9; i++)
                mantissa = mantissa * 10 + d;
            fraction = i - point;
        }
        // 19 digits cannot overflow 64 bits; the exact path needs the mantissa below 2^53 and 10^fraction exact.
        if (i != cell.Length || integerDigits + fraction is 0 or > 19 || fraction > 22 || mantissa > (1UL << 53))
            return false;
        value = fraction == 0 ? mantissa : mantissa / PowersOfTen[fraction];
        if (negative)
            value = -value;
        return true;
    }

    public static bool TryBoolean(string? cell, out bool value)
    {
        value = false;
        return cell is not null && TryBoolean(cell.AsSpan(), out value);
    }

    public static bool TryBoolean(ReadOnlySpan<char> cell, out bool value)
    {
        value = cell.Equals("true", StringComparison.OrdinalIgnoreCase);
        return value || cell.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An ISO 8601 date or date-time; one with an offset is converted to UTC.</summary>
    public static bool TryDateTime(string? cell, out DateTime value)
    {
        value = default;
        return cell is not null && TryDateTime(cell.AsSpan(), out value);
    }

    public static bool TryDateTime(ReadOnlySpan<char> cell, out DateTime value)
    {
        value = default;
        if (cell.Length < 10 || !char.IsAsciiDigit(cell[0]) || cell[4] != '-' || cell[7] != '-')
            return false;
        return TryPlainDate(cell, out value)
            || DateTime.TryParseExact(cell, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out value);
    }

    /// <summary>The common forms fast: yyyy-MM-dd, optionally with 'T' or ' ' and HH:mm:ss (no fraction, no offset).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPlainDate(ReadOnlySpan<char> cell, out DateTime value)
    {
        value = default;
        if (cell.Length != 10 && (cell.Length != 19 || cell[10] is not ('T' or ' ') || cell[13] != ':' || cell[16] != ':'))
            return false;
        int year = Digits(cell, 0, 4), month = Digits(cell, 5, 2), day = Digits(cell, 8, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        if (cell.Length == 10)
        {
            value = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
            return true;
        }
        int hour = Digits(cell, 11, 2), minute = Digits(cell, 14, 2), second = Digits(cell, 17, 2);
        if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
            return false;
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>The number written by <paramref name="count"/> ASCII digits at <paramref name="at"/>, or -1.</summary>
    private static int Digits(ReadOnlySpan<char> cell, int at, int count)
    {
        var n = 0;
        for (var i = at; i < at + count; i++)
        {
            var d = cell[i] - '0';
            if ((uint)d > 9)
                return -1;
            n = n * 10 + d;
        }
        return n;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A float as the shortest decimal that reads back as that float (0.1f is "0.1", not its double expansion).</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(bool value) => value ? "true" : "false";

    /// <summary>A date alone when the time is midnight, otherwise ISO 8601 with the fraction as needed.</summary>
    public static string Format(DateTime value) =>
        value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
