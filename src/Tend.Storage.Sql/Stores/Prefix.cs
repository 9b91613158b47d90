using Tend.Core.Errors;

namespace Tend.Storage.Sql.Stores;

/// <summary>Ids and hashes may be abbreviated, as in git; an abbreviation that names several things is a conflict.</summary>
internal static class Prefix
{
    /// <summary>Longer than any id or hash Tend makes (a sha256 is 64 hex digits): such a "prefix" names nothing.</summary>
    private const int Longest = 128;

    /// <summary>
    /// The LIKE pattern (with <c>ESCAPE '\'</c>) of what starts with <paramref name="prefix"/>, its <c>%</c> and <c>_</c>
    /// taken as text, not wildcards; null when it is too long to name anything.
    /// </summary>
    public static string? Like(string prefix) =>
        prefix.Length > Longest ? null : prefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    public static T? Single<T>(IReadOnlyList<T> matches, string what) where T : class => matches.Count switch
    {
        0 => null,
        1 => matches[0],
        _ => throw new TendException(ErrorCode.Conflict, $"{what} is ambiguous; give more characters"),
    };
}
