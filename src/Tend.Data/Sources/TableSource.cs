using Tend.Data.Tabular;

namespace Tend.Data.Sources;

/// <summary>Rows already in memory (a table built by code, a query's result); the line is the row number (header = 1).</summary>
public sealed class TableSource(Table table, string description) : RowSource
{
    public override string Description => description;

    public override IReadOnlyList<string> Columns { get; } = CheckColumns(table.Columns.ToList(), description);

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        for (var i = 0; i < table.Rows.Count; i++)
            yield return new SourceRow(table.Rows[i], i + 2);
    }
}
