namespace Tend.Core.Domain;

/// <summary>The columns of a dataset: what every later batch is validated against. <see cref="Revision"/> counts its changes.</summary>
public sealed record DataSchema(IReadOnlyList<ColumnSchema> Columns, int Revision = 1)
{
    public ColumnSchema? Find(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Same columns, types, nullability, domains and ranges (the revision aside).</summary>
    public bool SameAs(DataSchema other) => Columns.SequenceEqual(other.Columns, ColumnSchema.Comparer);
}

/// <summary>One column: type, whether it may be missing, its categorical domain or numeric range.</summary>
public sealed record ColumnSchema(
    string Name,
    ColumnType Type,
    bool Nullable,
    IReadOnlyList<string>? Domain = null,
    double? Min = null,
    double? Max = null)
{
    public static readonly IEqualityComparer<ColumnSchema> Comparer = new ValueComparer();

    private sealed class ValueComparer : IEqualityComparer<ColumnSchema>
    {
        public bool Equals(ColumnSchema? a, ColumnSchema? b) =>
            a is not null && b is not null && a.Name == b.Name && a.Type == b.Type && a.Nullable == b.Nullable && a.Min == b.Min && a.Max == b.Max
            && (a.Domain ?? []).SequenceEqual(b.Domain ?? []);

        public int GetHashCode(ColumnSchema c) => HashCode.Combine(c.Name, c.Type);
    }
}
