using Parquet;
using Parquet.Schema;
using Tend.Core.Errors;
using Tend.Data.Tabular;

namespace Tend.Data.Sources;

/// <summary>A Parquet file of flat columns (numbers, booleans, strings, timestamps, dates), read one row group at a time.</summary>
public sealed class ParquetSource : RowSource
{
    private readonly Func<Stream> _open;
    private readonly DataField[] _fields;

    public ParquetSource(Func<Stream> open, string description)
    {
        _open = open;
        Description = description;
        using var stream = open();
        try
        {
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (reader.Schema.Fields.FirstOrDefault(f => f is not DataField) is { } nested)
                throw TendException.InvalidData($"{description}: column '{nested.Name}' is nested ({nested.SchemaType}); only flat columns can be ingested");
            _fields = reader.Schema.DataFields;
        }
        catch (Exception e) when (e is not TendException)
        {
            throw Unreadable(description, e);
        }
        Columns = _fields.Length > 0 ? CheckColumns(_fields.Select(f => f.Name).ToList(), description)
            : throw TendException.InvalidData($"{description}: the Parquet file has no columns");
    }

    public override string Description { get; }

    public override IReadOnlyList<string> Columns { get; }

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        using var stream = _open();
        var reader = ParquetReader.CreateAsync(stream, cancellationToken: ct).GetAwaiter().GetResult();
        try
        {
            foreach (var row in Rows(reader, ct))
                yield return row;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private IEnumerable<SourceRow> Rows(ParquetReader reader, CancellationToken ct)
    {
        long line = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            var columns = ReadGroup(reader, g, ct);
            for (var r = 0; r < columns[0].Length; r++)
            {
                var cells = new string?[columns.Length];
                for (var c = 0; c < columns.Length; c++)
                    cells[c] = columns[c][r];
                yield return new SourceRow(cells, ++line);
            }
        }
    }

    /// <summary>A row group's columns; a group whose bytes do not decode is the file's fault, named with it.</summary>
    private string?[][] ReadGroup(ParquetReader reader, int g, CancellationToken ct)
    {
        try
        {
            using var group = reader.OpenRowGroupReader(g);
            return _fields.Select(f => ReadColumn(group, f, ct)).ToArray();
        }
        catch (Exception e) when (e is not (TendException or OperationCanceledException))
        {
            throw Unreadable(Description, e);
        }
    }

    /// <summary>Bytes the Parquet reader cannot make sense of: it throws whatever its decoding ran into (IOException, OverflowException, …).</summary>
    private static TendException Unreadable(string description, Exception e) =>
        TendException.InvalidData($"{description}: not a readable Parquet file: {e.Message}");

    private string?[] ReadColumn(ParquetRowGroupReader group, DataField field, CancellationToken ct)
    {
        var n = (int)group.RowCount;
        string?[] Convert<T>(Func<T, string> format) where T : struct
        {
            var values = new T?[n];
            group.ReadAsync<T>(field, values, cancellationToken: ct).AsTask().GetAwaiter().GetResult();
            return values.Select(v => v is { } x ? format(x) : null).ToArray();
        }
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(double)) return Convert<double>(Cells.Format);
        if (type == typeof(float)) return Convert<float>(Cells.Format);
        if (type == typeof(decimal)) return Convert<decimal>(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (type == typeof(long)) return Convert<long>(Cells.Format);
        if (type == typeof(int)) return Convert<int>(v => Cells.Format(v));
        if (type == typeof(short)) return Convert<short>(v => Cells.Format(v));
        if (type == typeof(byte)) return Convert<byte>(v => Cells.Format(v));
        if (type == typeof(bool)) return Convert<bool>(Cells.Format);
        if (type == typeof(DateTime)) return Convert<DateTime>(Cells.Format);
        if (type == typeof(DateOnly)) return Convert<DateOnly>(v => Cells.Format(v.ToDateTime(TimeOnly.MinValue)));
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string[n];
            group.ReadAsync(field, values, cancellationToken: ct).AsTask().GetAwaiter().GetResult();
            return values.Select(v => string.IsNullOrEmpty(v) ? null : v).ToArray();
        }
        throw TendException.InvalidData($"{Description}: column '{field.Name}' holds {type.Name} values, which cannot be ingested; expected numbers, booleans, strings or timestamps");
    }
}
