using Tend.Core.Domain;
using Tend.Core.Errors;
using Tend.Core.Spec;

namespace Tend.Data.Schema;

/// <summary>Applies the user's overrides (tend.yaml <c>data.schema</c>) to a schema and numbers its revisions.</summary>
public static class SchemaResolver
{
    public static DataSchema Apply(DataSchema schema, IReadOnlyDictionary<string, ColumnOverride> overrides)
    {
        foreach (var name in overrides.Keys.Where(n => schema.Find(n) is null))
            throw TendException.BadUsage($"tend.yaml: 'data.schema.{name}' names a column the data does not have; columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}");
        return schema with
        {
            Columns = schema.Columns.Select(c => overrides.TryGetValue(c.Name, out var o) ? Apply(c, o) : c).ToList(),
        };
    }

    private static ColumnSchema Apply(ColumnSchema column, ColumnOverride o)
    {
        var type = o.Type is null ? column.Type : Enum.Parse<ColumnType>(o.Type, ignoreCase: true);
        var number = type.IsNumber();
        return column with
        {
            Type = type,
            Nullable = o.Nullable ?? column.Nullable,
            Min = number ? o.Min ?? column.Min : null,
            Max = number ? o.Max ?? column.Max : null,
            Domain = type == ColumnType.Categorical ? column.Domain : null,
        };
    }

    /// <summary>The revision of a new version's schema: its parent's when nothing changed, one more otherwise.</summary>
    public static DataSchema Number(DataSchema schema, DataSchema? previous) =>
        schema with { Revision = previous is null ? 1 : schema.SameAs(previous) ? previous.Revision : previous.Revision + 1 };
}
