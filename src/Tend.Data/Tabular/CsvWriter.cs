using System.Text;

namespace Tend.Data.Tabular;

/// <summary>Writes a table as canonical CSV: LF line ends, no BOM, quotes only where a field needs them, missing as empty.</summary>
public static class CsvWriter
{
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static byte[] ToBytes(Table table)
    {
        var text = new StringWriter();
        Write(text, table.Columns);
        foreach (var row in table.Rows)
            Write(text, row);
        return Utf8.GetBytes(text.ToString());
    }

    /// <summary>One record: fields separated by commas, quoted when empty or holding a comma, quote or line break; null as nothing.</summary>
    public static void Write(TextWriter text, IReadOnlyList<string?> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0) text.Write(',');
            var field = fields[i];
            if (field is null) continue;
            if (field.Length == 0 || field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                text.Write('"');
                text.Write(field.Replace("\"", "\"\""));
                text.Write('"');
            }
            else
                text.Write(field);
        }
        text.Write('\n');
    }
}
