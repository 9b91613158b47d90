using Tend.Core.Domain;
using Tend.Data.Tabular;
using Tend.Training.Features;

namespace Tend.Serving;

/// <summary>
/// Rows of a native predict request as <see cref="RequestReader"/> read them, without making a text cell of any number:
/// each numeric or boolean feature's value (NaN when null), the text of the others, and where each feature's JSON token
/// lies in the body, which the log copies as it is (<see cref="JsonTokenRow"/>).
/// </summary>
public sealed class JsonRows(SignatureCheck.Fields fields, ReadOnlyMemory<byte> body) : RequestRows
{
    private readonly List<Row> _rows = [];

    /// <summary>One row: numbers and text cells by feature position; spans holds each feature's token as (start, length) in the body.</summary>
    internal sealed record Row(double[] Numbers, string?[] Cells, int[] Spans);

    internal void Add(Row row) => _rows.Add(row);

    public override int Count => _rows.Count;

    public override FeatureRow Features(int row) => new JsonTokenRow(fields.Logged, body, _rows[row].Spans);

    public override IReadOnlyList<ModelInput> Inputs(InputBuilder model)
    {
        var at = model.PositionsIn(fields.Names);
        var inputs = new ModelInput[_rows.Count];
        for (var r = 0; r < inputs.Length; r++)
            inputs[r] = model.Read(_rows[r].Numbers, _rows[r].Cells, at);
        return inputs;
    }

    public override Table ToTable() =>
        new(fields.Names, _rows.Select((_, r) => Features(r).Values.ToArray()).ToList());
}
