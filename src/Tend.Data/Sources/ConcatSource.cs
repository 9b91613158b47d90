using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>
/// Several sources with the same columns read as one: the files of a folder, or a version and the rows appended to it.
/// Columns are matched by name, so their order may differ between parts.
/// </summary>
public sealed class ConcatSource : RowSource
{
    private readonly IReadOnlyList<RowSource> _parts;

    public ConcatSource(IReadOnlyList<RowSource> parts, string description)
    {
        _parts = parts;
        Description = description;
        Columns = parts[0].Columns;
        foreach (var part in parts.Skip(1))
        {
            var missing = Columns.Except(part.Columns).ToList();
            var extra = part.Columns.Except(Columns).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                throw TendException.InvalidData($"{part.Description}: its columns differ from {parts[0].Description}'s"
                    + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "") + (extra.Count > 0 ? $"; not expected: {string.Join(", ", extra)}" : ""));
        }
    }

    public override string Description { get; }

    public override IReadOnlyList<string> Columns { get; }

    public override int SkippedLines => _parts.Sum(p => p.SkippedLines);

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        foreach (var part in _parts)
        {
            var names = part.Columns.ToList();
            var order = Columns.Select(c => names.IndexOf(c)).ToArray();
            var same = order.SequenceEqual(Enumerable.Range(0, order.Length));
            foreach (var row in part.Rows(ct))
                yield return same ? row : row with { Cells = order.Select(o => row.Cells[o]).ToArray() };
        }
    }
}
