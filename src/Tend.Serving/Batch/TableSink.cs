using System.Globalization;
using Parquet;
using Parquet.Schema;
using Tend.Data.Tabular;

namespace Tend.Serving.Batch;

/// <summary>Where scored rows go, batch after batch, in order: a CSV file, or a Parquet file with one row group a batch.</summary>
public abstract class TableSink : IAsyncDisposable
{
    /// <summary>CSV unless the path ends in .parquet or .pq. <paramref name="numeric"/> columns are written as numbers in Parquet.</summary>
    public static TableSink Create(string path, IReadOnlyList<string> columns, IReadOnlySet<string> numeric) =>
        Path.GetExtension(path).ToLowerInvariant() is ".parquet" or ".pq" ? new ParquetSink(path, columns, numeric) : new CsvSink(path, columns);

    public abstract Task WriteAsync(IReadOnlyList<string?[]> rows, CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}

internal sealed class CsvSink : TableSink
{
    private readonly StreamWriter _writer;

    public CsvSink(string path, IReadOnlyList<string> columns)
    {
        _writer = new StreamWriter(path, append: false, CsvWriter.Utf8, bufferSize: 1 << 20);
        CsvWriter.Write(_writer, columns);
    }

    public override Task WriteAsync(IReadOnlyList<string?[]> rows, CancellationToken ct)
    {
        foreach (var row in rows)
            CsvWriter.Write(_writer, row);
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync() => _writer.DisposeAsync();
}

/// <summary>Text columns as strings (the cells as read), <c>numeric</c> columns as nullable doubles.</summary>
internal sealed class ParquetSink : TableSink
{
    private readonly Stream _stream;
    private readonly DataField[] _fields;
    private ParquetWriter? _writer;

    public ParquetSink(string path, IReadOnlyList<string> columns, IReadOnlySet<string> numeric)
    {
        _stream = File.Create(path);
        _fields = columns.Select(c => numeric.Contains(c) ? (DataField)new DataField<double?>(c) : new DataField<string>(c)).ToArray();
    }

    public override async Task WriteAsync(IReadOnlyList<string?[]> rows, CancellationToken ct)
    {
        _writer ??= await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, cancellationToken: ct);
        using var group = _writer.CreateRowGroup();
        for (var c = 0; c < _fields.Length; c++)
        {
            var column = c;
            if (_fields[c] is DataField<double?>)
                await group.WriteAsync<double>(_fields[c], rows.Select(r => r[column] is { } cell ? double.Parse(cell, CultureInfo.InvariantCulture) : (double?)null).ToArray().AsMemory(), cancellationToken: ct);
            else
                await group.WriteAsync(_fields[c], new ArraySegment<string?>(rows.Select(r => r[column]).ToArray())!);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_writer is null) // no rows: still a valid file with the schema
            _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream);
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }
}
