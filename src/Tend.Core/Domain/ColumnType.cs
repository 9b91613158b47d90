namespace Tend.Core.Domain;

/// <summary>The logical type of a column, inferred on first ingest (docs/data.md gives the rules).</summary>
public enum ColumnType
{
    Numeric,
    Categorical,
    Boolean,
    Text,
    DateTime,
    Integer,
}

public static class ColumnTypes
{
    /// <summary>Integer and floating-point columns: ordered numbers, with moments, quantiles and a range.</summary>
    public static bool IsNumber(this ColumnType type) => type is ColumnType.Numeric or ColumnType.Integer;

    public static string Text(this ColumnType type) => type.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out ColumnType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && !int.TryParse(text, out _);
}
