using Tend.Core.Domain;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>
/// A request's rows as a protocol read them, checked against the signature: what the log keeps of each row, the model's
/// inputs, and the rows as text cells of the features (for a shadow with a signature of its own, and for explanations).
/// </summary>
public abstract class RequestRows
{
    public abstract int Count { get; }

    /// <summary>Row <paramref name="row"/>'s features, as the log keeps them.</summary>
    public abstract FeatureRow Features(int row);

    /// <summary>The rows as inputs of the model whose signature they were checked against.</summary>
    public abstract IReadOnlyList<ModelInput> Inputs(InputBuilder model);

    /// <summary>The rows as text cells, one column a feature.</summary>
    public abstract Table ToTable();

    /// <summary>Rows a protocol read as text cells.</summary>
    public static RequestRows Of(Table table) => new CellRows(table);

    private sealed class CellRows(Table table) : RequestRows
    {
        private FeatureSet? _set; // one for all the request's rows, made when the log first asks

        public override int Count => table.Rows.Count;
        public override FeatureRow Features(int row) => new CellRow(_set ??= new FeatureSet(table.Columns), table.Rows[row]);
        public override IReadOnlyList<ModelInput> Inputs(InputBuilder model) => model.FromTable(table).ToList();
        public override Table ToTable() => table;
    }
}
