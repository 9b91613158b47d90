using System.Globalization;

namespace Tend.Storage.Sql;

/// <summary>Times as fixed-width ISO-8601 UTC text, so text order is time order in both dialects.</summary>
internal static class SqlTime
{
    /// <summary><c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>: the round-trip format of a UTC time, which .NET writes without parsing a pattern.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="Format"/>'s text (its exact format first: a million log records are read per monitor window), or any ISO-8601 time.</summary>
    public static DateTimeOffset Parse(string text) =>
        DateTime.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var utc) && utc.Kind == DateTimeKind.Utc ? new DateTimeOffset(utc)
        : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
