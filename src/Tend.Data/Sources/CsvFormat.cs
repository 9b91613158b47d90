using System.Text;
using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>How a delimited text file is written: its encoding, delimiter and whether the first row is a header.</summary>
public sealed record CsvFormat(Encoding Encoding, char Delimiter, bool Header)
{
    public static readonly char[] Delimiters = [',', '\t', ';', '|'];

    /// <summary>The encodings a CSV may be read in; UTF-8 also reads files with a byte-order mark.</summary>
    public static readonly IReadOnlyDictionary<string, Encoding> Encodings = new Dictionary<string, Encoding>(StringComparer.OrdinalIgnoreCase)
    {
        ["utf-8"] = new UTF8Encoding(false, throwOnInvalidBytes: true),
        ["utf8"] = new UTF8Encoding(false, throwOnInvalidBytes: true),
        ["utf-8-sig"] = new UTF8Encoding(false, throwOnInvalidBytes: true),
        ["latin-1"] = Encoding.Latin1,
        ["latin1"] = Encoding.Latin1,
        ["iso-8859-1"] = Encoding.Latin1,
        ["ascii"] = Encoding.ASCII,
        ["utf-16"] = Encoding.Unicode,
    };

    public static Encoding ParseEncoding(string? name) =>
        name is null ? Encodings["utf-8"]
        : Encodings.TryGetValue(name, out var encoding) ? encoding
        : throw TendException.BadUsage($"unknown encoding '{name}'; supported: utf-8 (with or without BOM), latin-1, ascii, utf-16");

    public static char ParseDelimiter(string text) => text switch
    {
        "\\t" or "tab" or "\t" => '\t',
        _ when text.Length == 1 && text[0] is not ('"' or '\r' or '\n') => text[0],
        _ => throw TendException.BadField("delimiter", $"the delimiter must be one character (or 'tab'), got '{text}'"),
    };

    /// <summary>
    /// Detects what is not given from the first 64 KiB: the delimiter is the candidate (, tab ; |) that splits the first
    /// lines into the same number of fields, more than one (ties: the order above; .tsv files start from tab); the first
    /// row is a header unless a column holds a number in the first row and a number in the rows below (csv.Sniffer's idea).
    /// </summary>
    /// <param name="name">The file as messages name it (an upload's name, not the server's temporary path); the path by default.</param>
    public static CsvFormat Detect(string path, Encoding encoding, char? delimiter, bool? header, string? name = null)
    {
        string sample;
        using (var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true))
        {
            var buffer = new char[64 * 1024];
            try
            {
                sample = new string(buffer, 0, reader.ReadBlock(buffer));
            }
            catch (DecoderFallbackException e)
            {
                throw NotInEncoding($"{name ?? path}: in its first 64 KiB", e);
            }
        }
        var lines = sample.Split('\n').Take(20).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count > 1 && sample.Length == 64 * 1024)
            lines.RemoveAt(lines.Count - 1); // possibly cut short
        var chosen = delimiter ?? DetectDelimiter(lines, path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase));
        return new CsvFormat(encoding, chosen, header ?? DetectHeader(lines, chosen));
    }

    /// <summary>The error for bytes the file's encoding cannot read, <paramref name="where"/> being the file and line (or part) they are in.</summary>
    internal static TendException NotInEncoding(string where, DecoderFallbackException e) =>
        new(ErrorCode.InvalidData, $"{where}: bytes that are not valid in the file's encoding ({e.Message.TrimEnd('.')}); name the encoding (e.g. latin-1) if the file is not UTF-8")
        { Field = "encoding" };

    private static char DetectDelimiter(List<string> lines, bool tsv)
    {
        var candidates = tsv ? Delimiters.OrderBy(d => d == '\t' ? 0 : 1).ToArray() : Delimiters;
        foreach (var d in candidates)
        {
            var counts = lines.Select(l => Split(l, d).Length).Distinct().ToList();
            if (counts.Count == 1 && counts[0] > 1)
                return d;
        }
        // Not consistent anywhere (a quoted field spans lines, or one column): the one giving most fields on line 1.
        return lines.Count == 0 ? ',' : candidates.MaxBy(d => Split(lines[0], d).Length);
    }

    private static bool DetectHeader(List<string> lines, char delimiter)
    {
        if (lines.Count < 2)
            return true;
        var first = Split(lines[0], delimiter);
        var rest = lines.Skip(1).Select(l => Split(l, delimiter)).Where(r => r.Length == first.Length).ToList();
        for (var i = 0; i < first.Length; i++)
        {
            var numericBelow = rest.Count > 0 && rest.All(r => r[i].Length == 0 || double.TryParse(r[i], System.Globalization.CultureInfo.InvariantCulture, out _));
            if (numericBelow && double.TryParse(first[i], System.Globalization.CultureInfo.InvariantCulture, out _))
                return false;
        }
        return true;
    }

    /// <summary>Splits one line on the delimiter outside quotes (enough for detection).</summary>
    private static string[] Split(string line, char delimiter)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == delimiter && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
