using Tend.Core.Errors;
using Tend.Core.Spec;
using Tend.Data.Splits;
using Tend.Data.Tabular;

namespace Tend.Data.Preparation;

/// <summary>
/// The row-wise steps of <c>prepare:</c>: they remove rows from the data a model is trained and evaluated on (never from
/// what it serves), and say how many each removed.
/// </summary>
public static class RowSteps
{
    public static (Table Kept, IReadOnlyDictionary<string, int> Removed) Apply(Table table, ProjectSpec spec)
    {
        var prepare = spec.PrepareOrDefault;
        var label = table.IndexOf(spec.Label);
        if (label < 0)
            throw TendException.InvalidData($"label column '{spec.Label}' (tend.yaml 'label') is not in the data; columns: {string.Join(", ", table.Columns)}");
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        IReadOnlyList<string?[]> rows = table.Rows;

        var missingLabel = rows.Count(r => r[label] is null);
        if (missingLabel > 0 && !prepare.DropMissingLabel)
            throw TendException.InvalidData($"{missingLabel} rows have no '{spec.Label}' label and 'prepare.drop_missing_label' is false; a row without a label can be neither learned from nor scored");
        rows = rows.Where(r => r[label] is not null).ToList();
        removed["missing_label"] = missingLabel;

        if (prepare.DropDuplicates)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var unique = rows.Where(r => seen.Add(RowKey.Of(r, -1))).ToList();
            removed["duplicates"] = rows.Count - unique.Count;
            rows = unique;
        }
        return (new Table(table.Columns, rows), removed);
    }
}
