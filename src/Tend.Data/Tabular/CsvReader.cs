using Tend.Data.Sources;

namespace Tend.Data.Tabular;

/// <summary>Reads a whole CSV into memory (small files: samples, tests); ingest streams through <see cref="CsvSource"/> instead.</summary>
public static class CsvReader
{
    public static Table ReadFile(string path)
    {
        var source = DataSources.Open(path, new ReadOptions(Format: "csv"));
        return new Table(source.Columns, source.Rows(CancellationToken.None).Select(r => r.Cells).ToList());
    }

    /// <summary>Comma-separated text with a header row.</summary>
    public static Table Read(TextReader reader, string source)
    {
        var parser = new CsvParser(reader, ',', source);
        var header = parser.Next() ?? throw Core.Errors.TendException.InvalidData($"{source}: the file is empty; expected a header row and data rows");
        var columns = new TableSource(new Table(header.Select(h => h ?? "").ToList(), []), $"{source}:1").Columns;
        var rows = new List<string?[]>();
        while (parser.Next() is { } record)
        {
            if (record.Length == 1 && record[0] is null && columns.Count > 1)
                continue;
            if (record.Length != columns.Count)
                throw Core.Errors.TendException.InvalidData($"{source}:{parser.Line}: expected {columns.Count} fields as in the header, found {record.Length}");
            rows.Add(record);
        }
        return new Table(columns, rows);
    }
}
