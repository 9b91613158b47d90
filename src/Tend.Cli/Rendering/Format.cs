using System.Globalization;
using Tend.Core.Domain;

namespace Tend.Cli.Rendering;

internal static class Format
{
    public static string Number(double value) => Figures.Number(value);

    public static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join("  ", metrics.Select(m => $"{m.Key} {Number(m.Value)}"));
}
