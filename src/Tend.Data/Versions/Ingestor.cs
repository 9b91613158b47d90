using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Parquet;
using Parquet.Schema;
using Tend.Core.Domain;
using Tend.Data.Profiling;
using Tend.Data.Schema;
using Tend.Data.Sources;
using Tend.Data.Versions.Columns;

namespace Tend.Data.Versions;

/// <summary>
/// Reads a source twice, streaming, in batches: first to infer the schema, then to parse every cell to its type, write
/// Parquet row groups to <paramref name="parquetPath"/>, hash the canonical form, profile and validate. Three threads
/// share the work: one parses the next batch, the columns of the current one are processed in parallel, and the
/// previous row group is written meanwhile. Memory holds three batches, two row groups, the sketches and up to
/// <see cref="ExactDuplicateRows"/> row hashes, whatever the row count.
/// </summary>
internal sealed class Ingestor(RowSource source, string parquetPath)
{
    /// <summary>Rows read and processed at a time: a batch's text (~1 MB here) stays in the CPU's caches while each column reads it; 8,192 rows were ~0.4 s slower on 1M.</summary>
    public const int BatchSize = 2048;

    /// <summary>
    /// Cells a batch holds: <see cref="BatchSize"/> rows up to 32 columns, fewer rows when there are more, so memory
    /// does not grow with a source's width (10,000 columns took 18 GB at 2,048 rows a batch and 65,536 a row group).
    /// </summary>
    public const int BatchCells = BatchSize * 32;

    /// <summary>Batches a Parquet row group holds: 65,536 rows up to 32 columns.</summary>
    public const int BatchesPerGroup = 32;

    private readonly int _batchRows = Math.Clamp(BatchCells / Math.Max(1, source.Columns.Count), 1, BatchSize);

    private int GroupRows => _batchRows * BatchesPerGroup;

    /// <summary>Rows whose hashes are remembered to find duplicates; beyond, later rows are still checked against these (a lower bound).</summary>
    public const int ExactDuplicateRows = 2_000_000;

    public sealed record Result(string Hash, int Rows, DataSchema Schema, DataProfile Profile, ValidationReport Report);

    /// <param name="expected">The schema to validate against; null on a dataset's first version (the inferred schema, with overrides).</param>
    public async Task<Result> RunAsync(
        Func<DataSchema, DataSchema> resolve, DataSchema? expected, DataProfile? reference, string? label, ValidationRules rules, CancellationToken ct)
    {
        var inferred = await InferAsync(ct);
        var schema = resolve(inferred);
        var validator = new Validator(rules);
        var against = expected ?? schema;
        validator.Columns(source.Columns, against);

        // A first version is checked against its own inferred schema: its categories are the domain by construction,
        // so only what tend.yaml may have set (types, bounds) is worth a look.
        if (expected is null)
            against = against with { Columns = against.Columns.Select(c => c with { Domain = null }).ToList() };
        var columns = schema.Columns.Select(c => IngestColumn.For(c, GroupRows)).ToArray();
        try
        {
            return await IngestAsync(columns, schema, against, label, validator, reference, ct);
        }
        finally
        {
            foreach (var c in columns)
                c.Dispose();
        }
    }

    private async Task<Result> IngestAsync(IngestColumn[] columns, DataSchema schema, DataSchema against, string? label, Validator validator, DataProfile? reference, CancellationToken ct)
    {
        var labelColumn = label is null ? null : columns.FirstOrDefault(c => c.Schema.Name == label);
        foreach (var c in columns)
        {
            c.Expected = against.Find(c.Schema.Name);
            if (labelColumn is not null && c != labelColumn && c.Schema.Type is not ColumnType.Text and not ColumnType.DateTime)
                c.Association = new Association(c.Schema.Type.IsNumber(), labelColumn.Schema.Type.IsNumber());
        }
        if (labelColumn is not null)
            labelColumn.KeepValues = true;

        var parquetSchema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        var seen = new RowHashSet(ExactDuplicateRows);
        var rowHashes = new UInt128[_batchRows];
        long rows = 0, duplicates = 0;
        await using (var file = File.Create(parquetPath))
        await using (var writer = await ParquetWriter.CreateAsync(parquetSchema, file, cancellationToken: ct))
        {
            var writing = Task.CompletedTask; // the previous row group, written while the next batches are ingested
            try
            {
                var inGroup = 0;
                await foreach (var batch in ReadAhead(ct))
                {
                    Ingest(batch, columns, labelColumn);
                    duplicates += Duplicates(batch.Count, columns, seen, rowHashes);
                    rows += batch.Count;
                    if ((inGroup += batch.Count) < GroupRows)
                        continue;
                    await writing;
                    writing = WriteRowGroupAsync(writer, columns, ct);
                    inGroup = 0;
                }
                await writing;
                if (inGroup > 0 || rows == 0)
                    await WriteRowGroupAsync(writer, columns, ct);
            }
            finally
            {
                await Task.WhenAny(writing); // never dispose the writer under a write still running
            }
        }

        var profile = new DataProfile((int)rows, columns.Select(c => c.Profile()).ToList(), (int)duplicates);
        validator.Rows(rows, duplicates);
        foreach (var c in columns.Where(c => c.Expected is not null))
            validator.Column(c, reference?.Find(c.Schema.Name), rows);
        if (label is not null && profile.Find(label) is { } labelProfile)
            validator.Label(label, labelProfile, reference?.Find(label), rows);
        var hash = CanonicalColumn.TableHash(schema.Columns.Select(c => c.Name), columns.Select(c => c.Canonical.Digest()));
        return new Result(hash, (int)rows, schema, profile, validator.Report);
    }

    /// <summary>The label's values first (the others' association needs them), then every other column on its own, in parallel.</summary>
    private static void Ingest(CellBatch batch, IngestColumn[] columns, IngestColumn? label)
    {
        var labelIndex = label is null ? -1 : Array.IndexOf(columns, label);
        label?.AddBatch(batch, labelIndex, null);
        Parallel.For(0, columns.Length, c =>
        {
            if (c != labelIndex)
                columns[c].AddBatch(batch, c, label);
        });
    }

    /// <summary>How many of the batch's rows repeat a row seen before, by the hash of their cells' hashes (hashed in parallel, then looked up).</summary>
    private static int Duplicates(int count, IngestColumn[] columns, RowHashSet seen, UInt128[] rowHashes)
    {
        var cells = columns.Select(c => c.Canonical.CellHashes).ToArray();
        Parallel.For(0, Environment.ProcessorCount, part =>
        {
            Span<ulong> row = stackalloc ulong[cells.Length];
            var (from, to) = (count * part / Environment.ProcessorCount, count * (part + 1) / Environment.ProcessorCount);
            for (var r = from; r < to; r++)
            {
                for (var c = 0; c < cells.Length; c++)
                    row[c] = cells[c][r];
                rowHashes[r] = CanonicalColumn.RowHash(row);
            }
        });
        var duplicates = 0;
        for (var r = 0; r < count; r++)
            if (!seen.Add(rowHashes[r]))
                duplicates++;
        return duplicates;
    }

    /// <summary>The first pass: each column's type inferred batch by batch, the columns in parallel.</summary>
    private async Task<DataSchema> InferAsync(CancellationToken ct)
    {
        var columns = source.Columns.Select(c => new ColumnInference(c)).ToArray();
        await foreach (var batch in ReadAhead(ct))
            Parallel.For(0, columns.Length, c =>
            {
                for (var r = 0; r < batch.Count; r++)
                    columns[c].Add(batch.Cell(c, r), batch.IsMissing(c, r));
            });
        return new DataSchema(columns.Select(c => c.Result()).ToList());
    }

    /// <summary>
    /// The source's batches, read on another thread one batch ahead of the caller, so parsing overlaps the work on the
    /// previous batch. Three batches rotate: the one being filled, one waiting, one being worked on.
    /// </summary>
    private async IAsyncEnumerable<CellBatch> ReadAhead([EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<CellBatch>(1);
        var reader = Task.Run(async () =>
        {
            try
            {
                foreach (var batch in source.Batches(_batchRows, 3, stop.Token))
                    await channel.Writer.WriteAsync(batch, stop.Token);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, stop.Token);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
                yield return batch;
            await reader; // the reader's error, if it failed
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(reader);
        }
    }

    /// <summary>Takes every column's buffered chunk now and writes them as one row group on another thread.</summary>
    private static Task WriteRowGroupAsync(ParquetWriter writer, IngestColumn[] columns, CancellationToken ct)
    {
        var chunks = columns.Select(c => c.TakeChunk()).ToList();
        return Task.Run(async () =>
        {
            using var group = writer.CreateRowGroup();
            foreach (var chunk in chunks)
                await chunk(group, ct);
        }, ct);
    }
}
