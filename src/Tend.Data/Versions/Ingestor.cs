using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Profiling;
using Tend.Data.Schema;
using Tend.Data.Sources;
using Tend.Data.Versions.Columns;

namespace Tend.Data.Versions;

/// <summary>
/// Reads a source twice, streaming: first to infer the schema, then to parse every cell to its type, write Parquet row
/// groups to <paramref name="parquetPath"/>, hash the canonical form, profile and validate. Memory holds one row group,
/// the sketches and up to <see cref="ExactDuplicateRows"/> row hashes, whatever the row count.
/// </summary>
internal sealed class Ingestor(RowSource source, string parquetPath)
{
    public const int RowGroupSize = 65_536;

    /// <summary>Rows whose hashes are remembered to find duplicates; beyond, later rows are still checked against these (a lower bound).</summary>
    public const int ExactDuplicateRows = 2_000_000;

    public sealed record Result(string Hash, int Rows, DataSchema Schema, DataProfile Profile, ValidationReport Report);

    /// <param name="expected">The schema to validate against; null on a dataset's first version (the inferred schema, with overrides).</param>
    public async Task<Result> RunAsync(
        Func<DataSchema, DataSchema> resolve, DataSchema? expected, DataProfile? reference, string? label, ValidationRules rules, CancellationToken ct)
    {
        var inferred = Infer(ct);
        var schema = resolve(inferred);
        var validator = new Validator(rules);
        var against = expected ?? schema;
        validator.Columns(source.Columns, against);

        var columns = schema.Columns.Select(c => IngestColumn.For(c, RowGroupSize)).ToArray();
        var labelIndex = label is null ? -1 : Array.FindIndex(columns, c => c.Schema.Name == label);
        foreach (var c in columns)
        {
            c.Expected = against.Find(c.Schema.Name);
            if (labelIndex >= 0 && c != columns[labelIndex] && c.Schema.Type is not ColumnType.Text and not ColumnType.DateTime)
                c.Association = new Association(c.Schema.Type.IsNumber(), columns[labelIndex].Schema.Type.IsNumber());
        }

        var parquetSchema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        using var canonical = new CanonicalRow(schema.Columns.Select(c => c.Name));
        var seen = new HashSet<UInt128>();
        long rows = 0, duplicates = 0;
        await using (var file = File.Create(parquetPath))
        await using (var writer = await ParquetWriter.CreateAsync(parquetSchema, file, cancellationToken: ct))
        {
            var inGroup = 0;
            foreach (var row in source.Rows(ct))
            {
                for (var i = 0; i < columns.Length; i++)
                    columns[i].Add(row.Cells[i], row, canonical);
                if (labelIndex >= 0)
                {
                    var l = columns[labelIndex];
                    foreach (var c in columns)
                        c.Association?.Add(c.Number, c.Category, l.Number, l.Category);
                }
                var hash = canonical.EndRow();
                if (seen.Count < ExactDuplicateRows ? !seen.Add(hash) : seen.Contains(hash))
                    duplicates++;
                rows++;
                if (++inGroup == RowGroupSize)
                {
                    await FlushAsync(writer, columns, ct);
                    inGroup = 0;
                }
            }
            if (inGroup > 0 || rows == 0)
                await FlushAsync(writer, columns, ct);
        }

        var profile = new DataProfile((int)rows, columns.Select(c => c.Profile()).ToList(), (int)duplicates);
        validator.Rows(rows, duplicates);
        foreach (var c in columns.Where(c => c.Expected is not null))
            validator.Column(c, reference?.Find(c.Schema.Name), rows);
        if (label is not null && profile.Find(label) is { } labelProfile)
            validator.Label(label, labelProfile, reference?.Find(label), rows);
        return new Result(canonical.Hash(), (int)rows, schema, profile, validator.Report);
    }

    private DataSchema Infer(CancellationToken ct)
    {
        var columns = source.Columns.Select(c => new ColumnInference(c)).ToArray();
        foreach (var row in source.Rows(ct))
            for (var i = 0; i < columns.Length; i++)
                columns[i].Add(row.Cells[i]);
        return new DataSchema(columns.Select(c => c.Result()).ToList());
    }

    private static async Task FlushAsync(ParquetWriter writer, IngestColumn[] columns, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        foreach (var c in columns)
            await c.FlushAsync(group, ct);
    }
}
