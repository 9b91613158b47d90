using System.Text;
using Tend.Core.Errors;
using Tend.Data.Tabular;

namespace Tend.Data.Tests;

public class CsvReaderTests
{
    private static Table Read(string text) => CsvReader.Read(new StringReader(text), "data.csv");

    /// <summary>A row as text, a missing cell shown as ∅.</summary>
    internal static string Show(string?[] row) => string.Join("|", row.Select(c => c ?? "∅"));

    [Fact]
    public void Read_QuotedFieldsAndCrLf_KeepsCommasQuotesAndNewlines()
    {
        var table = Read("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,,\"two\nlines\"\r\n");
        Assert.Equal(["a", "b", "c"], table.Columns);
        Assert.Equal("1|x, y|say \"hi\"", Show(table.Rows[0]));
        Assert.Equal("2|∅|two\nlines", Show(table.Rows[1]));
    }

    /// <summary>Bytes that are not UTF-8, early (where the format is detected) or late (past the first 64 KiB), are the file's fault, named with where they are.</summary>
    [Theory]
    [InlineData(0, "in its first 64 KiB")]
    [InlineData(5_000, "or a later one")]
    public void BytesNotInTheEncoding_AreAnErrorNamingWhere(int goodRows, string where)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("tend-bytes-").FullName, "bad.csv");
        var good = string.Concat(Enumerable.Range(0, goodRows).Select(i => $"{i},{new string('x', 20)}\n"));
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("a,b\n" + good + "1,"), 0xFF, 0xFE, (byte)'\n']);
        var e = Assert.Throws<TendException>(() => Sources.DataSources.Open(path, new Sources.ReadOptions()).Rows(CancellationToken.None).ToList());
        Assert.Equal(ErrorCode.InvalidData, e.Code);
        Assert.Contains(where, e.Message);
        Assert.Contains("bytes that are not valid in the file's encoding", e.Message);
        if (goodRows > 0) // a line at or before the bad one (line 5002), never after
            Assert.InRange(int.Parse(System.Text.RegularExpressions.Regex.Match(e.Message, @"line (\d+)").Groups[1].Value), 2, goodRows + 2);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    /// <summary>Records of any length: a 1 MB quoted field, a 100,000-character plain line, a 10,000-column header (each once crashed the parser).</summary>
    [Fact]
    public void LongRecords_ReadWhole_AsStringsAndAsBatches()
    {
        var quoted = new string('q', 1_000_000) + ",\"" + new string('x', 10);
        var plain = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"v{i}")); // ~69,000 characters, past the 64 KiB buffer
        var header = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"c{i}"));
        var rest = string.Join(",", Enumerable.Repeat("", 9_998));
        var text = $"{header}\n\"{quoted.Replace("\"", "\"\"")}\",2,{rest}\n{plain}\n";

        var table = Read(text);
        Assert.Equal(10_000, table.Columns.Count);
        Assert.Equal(quoted, table.Rows[0][0]);
        Assert.Equal("2", table.Rows[0][1]);
        Assert.Null(table.Rows[0][9_999]);
        Assert.Equal("v9999", table.Rows[1][9_999]);

        var path = Path.Combine(Directory.CreateTempSubdirectory("tend-long-").FullName, "long.csv");
        File.WriteAllText(path, text);
        var source = Sources.DataSources.Open(path, new Sources.ReadOptions());
        var batches = source.Batches(4, 1, CancellationToken.None).ToList();
        var batch = Assert.Single(batches);
        Assert.Equal(quoted, batch.Cell(0, 0).ToString());
        Assert.Equal("v9999", batch.Cell(9_999, 1).ToString());
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Batches_OverManyBufferRefills_ReadWhatWasWritten(string lineEnd)
    {
        // Plain lines (split in place), quoted fields with delimiters, quotes and line breaks (the slow path), and
        // missing cells, over ~1 MB so records straddle the 64 KiB read buffer, checked against the rows written.
        var random = new Random(11);
        string? Cell() => random.Next(12) switch
        {
            0 => null,
            1 => "a,b",
            2 => "say \"hi\"",
            3 => "two\nlines",
            _ => new string('x', random.Next(1, 30)) + random.Next(),
        };
        var rows = Enumerable.Range(0, 20_000).Select(_ => new[] { Cell(), Cell(), Cell() }).ToList();
        var text = System.Text.Encoding.UTF8.GetString(CsvWriter.ToBytes(new Table(["a", "b", "c"], rows)));
        var path = Path.Combine(Directory.CreateTempSubdirectory("tend-csv-").FullName, "big.csv");
        File.WriteAllText(path, text.Replace("\n", lineEnd).Replace("two" + lineEnd + "lines", "two\nlines"));
        var source = Sources.CsvSource.Open(path);
        var read = new List<string>();
        foreach (var batch in source.Batches(4096, 1, CancellationToken.None))
            for (var r = 0; r < batch.Count; r++)
                read.Add(string.Join("|", Enumerable.Range(0, 3).Select(c => batch.IsMissing(c, r) ? "∅" : batch.Cell(c, r).ToString())));
        Assert.Equal(rows.Select(Show), read);
        Assert.Equal(rows.Select(Show), source.Rows(CancellationToken.None).Select(r => Show(r.Cells)));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Read_EmptyField_QuotedOrNot_IsMissing()
    {
        Assert.Equal("∅|∅", Show(Read("a,b\n\"\",\n").Rows[0]));
    }

    [Fact]
    public void Read_RaggedRow_NamesFileLineAndCounts()
    {
        var e = Assert.Throws<TendException>(() => Read("a,b,c\n1,2,3\n4,5\n"));
        Assert.Equal(ErrorCode.InvalidData, e.Code);
        Assert.Equal("data.csv:3: expected 3 fields as in the header, found 2", e.Message);
    }

    [Fact]
    public void Read_DuplicateColumn_IsAnError()
    {
        var e = Assert.Throws<TendException>(() => Read("a,b,a\n1,2,3\n"));
        Assert.Contains("column name 'a' appears twice", e.Message);
    }

    [Fact]
    public void ReadFile_Missing_IsNotFound()
    {
        var e = Assert.Throws<TendException>(() => CsvReader.ReadFile("/no/such/file.csv"));
        Assert.Equal(ErrorCode.NotFound, e.Code);
        Assert.Contains("/no/such/file.csv", e.Message);
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var table = Read("a,b\n\"x,1\",\n\"\",\"q\"\"\"\n");
        var again = Read(System.Text.Encoding.UTF8.GetString(CsvWriter.ToBytes(table)));
        Assert.Equal(table.Rows.Select(Show), again.Rows.Select(Show));
    }
}
