using System.IO.Hashing;
using System.Text;

namespace Tend.Data.Splits;

/// <summary>
/// Where a row falls in [0, 1): the seeded xxHash64 of its key (one column's text, or the whole row's cells), so a row's
/// side of a split depends on its content and the seed, never on its position or on the other rows.
/// </summary>
public static class RowKey
{
    private const char Separator = '\u001f';
    private const char Missing = '\u0000';

    /// <summary>The text a row is keyed by: the key column's cell, or every cell joined (missing cells marked).</summary>
    public static string Of(string?[] row, int keyColumn) =>
        keyColumn >= 0 ? row[keyColumn] ?? Missing.ToString() : string.Join(Separator, row.Select(c => c ?? Missing.ToString()));

    /// <summary>A number uniform in [0, 1) for a key: the top 53 bits of its seeded hash.</summary>
    public static double Position(string key, int seed) =>
        (XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key), seed) >> 11) * (1.0 / (1UL << 53));
}
