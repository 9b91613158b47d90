using System.Globalization;

namespace Tend.Server.Components;

/// <summary>How the pages print numbers: up to 4 decimals, tiny values in scientific notation, a dash for none.</summary>
public static class Show
{
    public static string Number(double? value) =>
        value is not { } v || double.IsNaN(v) ? "–" : v.ToString(v != 0 && Math.Abs(v) < 1e-4 ? "0.##E+0" : "0.####", CultureInfo.InvariantCulture);

    public static string Percent(double? share) => share is { } s ? s.ToString("0.##%", CultureInfo.InvariantCulture) : "–";
}
