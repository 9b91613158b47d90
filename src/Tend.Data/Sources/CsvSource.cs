using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>A delimited text file (CSV, TSV): the format detected unless given, the header named or generated (column_1, …).</summary>
public sealed class CsvSource : RowSource
{
    private readonly string _path;
    private readonly string _name;
    private readonly CsvFormat _format;
    private readonly BadLines _badLines;
    private int _skipped;

    /// <param name="name">How the file is named in records and messages (default: its path).</param>
    public CsvSource(string path, CsvFormat format, BadLines badLines = BadLines.Error, string? name = null)
    {
        _path = path;
        _name = name ?? path;
        _format = format;
        _badLines = badLines;
        using var reader = Open();
        var parser = new CsvParser(reader, format.Delimiter, _name);
        var first = parser.Next() ?? throw TendException.InvalidData($"{_name}: the file is empty; expected a header row and data rows");
        Columns = format.Header
            ? CheckColumns(first, $"{_name}:1")
            : Enumerable.Range(1, first.Length).Select(i => $"column_{i}").ToList();
    }

    public static CsvSource Open(string path, string? delimiter = null, bool? header = null, string? encoding = null, BadLines badLines = BadLines.Error, string? name = null) =>
        new(path, CsvFormat.Detect(path, CsvFormat.ParseEncoding(encoding), delimiter is null ? null : CsvFormat.ParseDelimiter(delimiter), header, name), badLines, name);

    public override string Description => _name;

    public override IReadOnlyList<string> Columns { get; }

    public override int SkippedLines => _skipped;

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        foreach (var record in Records(ct))
            yield return new SourceRow(record.Strings(), record.Line);
    }

    /// <summary>Fills batches straight from the parser's record buffer: no string per cell.</summary>
    protected override IEnumerable<bool> Fill(Func<CellBatch> batch, CancellationToken ct)
    {
        foreach (var record in Records(ct))
        {
            batch().Add(record.Text, record.Starts, record.Lengths, record.Line);
            yield return true;
        }
    }

    /// <summary>The parser at each data record with the header's field count, blank lines passed over; a ragged record is an error or, with skip, counted.</summary>
    private IEnumerable<CsvParser> Records(CancellationToken ct)
    {
        using var reader = Open();
        var parser = new CsvParser(reader, _format.Delimiter, _name);
        if (_format.Header)
            parser.NextRecord();
        var skipped = 0;
        var count = 0;
        while (parser.NextRecord())
        {
            if ((++count & 0xFFFF) == 0)
                ct.ThrowIfCancellationRequested();
            if (parser.FieldCount == 1 && parser.IsMissing(0) && Columns.Count > 1)
                continue; // a blank line
            if (parser.FieldCount != Columns.Count)
            {
                if (_badLines == BadLines.Skip)
                {
                    skipped++;
                    continue;
                }
                throw new TendException(ErrorCode.InvalidData, $"{_name}:{parser.Line}: expected {Columns.Count} fields as in the header, found {parser.FieldCount}; fix the line, or skip such lines")
                { Field = "on_bad_lines", Choices = [BadLines.Skip.ToString().ToLowerInvariant()] };
            }
            yield return parser;
        }
        _skipped = skipped;
    }

    private StreamReader Open() => new(_path, _format.Encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}
