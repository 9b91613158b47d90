using System.Text.Json;
using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>
/// JSON Lines: one object per line, values scalars (strings, numbers, true/false, null). Columns are the keys in order of
/// first appearance across the file; a key an object lacks is a missing value.
/// </summary>
public sealed class JsonLinesSource : RowSource
{
    private readonly string _path;
    private readonly string _name;

    /// <param name="name">How the file is named in records and messages (default: its path).</param>
    public JsonLinesSource(string path, string? name = null)
    {
        _path = path;
        _name = name ?? path;
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, number) in Lines())
            foreach (var property in Parse(line, number).EnumerateObject())
                if (seen.Add(property.Name))
                    columns.Add(property.Name);
        if (columns.Count == 0)
            throw TendException.InvalidData($"{_name}: the file is empty; expected one JSON object per line");
        Columns = CheckColumns(columns, _name);
    }

    public override string Description => _name;

    public override IReadOnlyList<string> Columns { get; }

    public override IEnumerable<SourceRow> Rows(CancellationToken ct)
    {
        var index = Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        foreach (var (line, number) in Lines())
        {
            var cells = new string?[Columns.Count];
            foreach (var property in Parse(line, number).EnumerateObject())
                cells[index[property.Name]] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString() is { Length: > 0 } text ? text : null,
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => throw TendException.InvalidData($"{_name}:{number}: field '{property.Name}' is a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}; expected a string, number, true/false or null"),
                };
            yield return new SourceRow(cells, number);
        }
    }

    private IEnumerable<(string Line, long Number)> Lines()
    {
        using var reader = new StreamReader(_path, CsvFormat.ParseEncoding(null), detectEncodingFromByteOrderMarks: true);
        long number = 0;
        while (ReadLine(reader, number + 1) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
                yield return (line, number);
        }
    }

    /// <summary>The next line; bytes that are not UTF-8 (as JSON must be) are named by the line the reader had reached, or a later one, since it decodes ahead.</summary>
    private string? ReadLine(StreamReader reader, long number)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw TendException.InvalidData($"{_name}, line {number} or a later one: bytes that are not UTF-8 ({e.Message.TrimEnd('.')}); JSON Lines are UTF-8");
        }
    }

    private JsonElement Parse(string line, long number)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw TendException.InvalidData($"{_name}:{number}: expected a JSON object, found a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
        }
        catch (JsonException e)
        {
            throw TendException.InvalidData($"{_name}:{number}: not valid JSON at character {e.BytePositionInLine + 1}: {e.Message.Split(" LineNumber")[0]}");
        }
    }
}
