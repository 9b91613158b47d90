using Tend.Core.Domain;
using Tend.Data.Tabular;

namespace Tend.Data.Schema;

/// <summary>Infers the schema of a table in memory, by the rules of <see cref="ColumnInference"/>.</summary>
public static class SchemaInference
{
    public static DataSchema Infer(Table table) =>
        new(table.Columns.Select((name, i) =>
        {
            var column = new ColumnInference(name);
            foreach (var cell in table.Column(i))
                column.Add(cell);
            return column.Result();
        }).ToList());
}
