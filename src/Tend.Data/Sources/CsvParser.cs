using System.Text;
using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>
/// A streaming RFC 4180 parser: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF or LF; an empty
/// field, quoted or not, is a missing value. Reads through a 64 KiB buffer and copies each field once.
/// </summary>
internal sealed class CsvParser(TextReader reader, char delimiter, string file)
{
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private readonly List<string?> _fields = [];
    private int _pos, _len;
    private long _line = 1;

    /// <summary>The line on which the last record returned by <see cref="Next"/> starts.</summary>
    public long Line { get; private set; }

    /// <summary>The next record, or null at the end of the input.</summary>
    public string?[]? Next()
    {
        if (!Available())
            return null;
        _fields.Clear();
        Line = _line;
        while (true)
        {
            var end = _buffer[_pos] == '"' ? QuotedField() : PlainField();
            if (end != delimiter)
                return _fields.ToArray();
            _pos++;
            if (!Available())
            {
                _fields.Add(null);
                return _fields.ToArray();
            }
        }
    }

    /// <summary>Reads an unquoted field and returns the character that ended it (delimiter, '\n', or -1 at the end), leaving a delimiter unconsumed.</summary>
    private int PlainField()
    {
        _field.Clear();
        while (true)
        {
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var stop = span.IndexOfAny(delimiter, '\n', '\r');
            if (stop >= 0)
            {
                AddField(span[..stop]);
                _pos += stop;
                return EndOfField();
            }
            _field.Append(span);
            _pos = _len;
            if (!Available())
            {
                AddField([]);
                return -1;
            }
        }
    }

    private int QuotedField()
    {
        _field.Clear();
        var startLine = _line;
        _pos++;
        while (true)
        {
            if (!Available())
                throw TendException.InvalidData($"{file}:{startLine}: column {_fields.Count + 1}: a quoted field is never closed; expected a closing '\"'");
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var quote = span.IndexOf('"');
            var chunk = quote < 0 ? span : span[..quote];
            foreach (var c in chunk)
                if (c == '\n') _line++;
            _field.Append(chunk);
            if (quote < 0)
            {
                _pos = _len;
                continue;
            }
            _pos += quote + 1;
            if (Available() && _buffer[_pos] == '"')
            {
                _field.Append('"');
                _pos++;
                continue;
            }
            _fields.Add(_field.Length == 0 ? null : _field.ToString());
            if (!Available())
                return -1;
            var next = _buffer[_pos];
            if (next != delimiter && next is not ('\n' or '\r'))
                throw TendException.InvalidData($"{file}:{_line}: column {_fields.Count}: unexpected '{next}' after a closing quote; expected '{Shown(delimiter)}' or the end of the line");
            return EndOfField();
        }
    }

    /// <summary>At a delimiter (left in place) or a line end (consumed).</summary>
    private int EndOfField()
    {
        var c = _buffer[_pos];
        if (c == delimiter)
            return c;
        _pos++;
        if (c == '\r' && Available() && _buffer[_pos] == '\n')
            _pos++;
        _line++;
        return '\n';
    }

    private void AddField(ReadOnlySpan<char> tail)
    {
        if (_field.Length == 0)
            _fields.Add(tail.IsEmpty ? null : new string(tail));
        else
        {
            _field.Append(tail);
            _fields.Add(_field.ToString());
            _field.Clear();
        }
    }

    private bool Available()
    {
        if (_pos < _len)
            return true;
        try
        {
            _len = reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException e)
        {
            throw TendException.InvalidData($"{file}:{_line}: bytes that are not valid in the file's encoding ({e.Message.TrimEnd('.')}); pass --encoding latin-1 if the file is not UTF-8");
        }
        _pos = 0;
        return _len > 0;
    }

    private static string Shown(char c) => c == '\t' ? "\\t" : c.ToString();
}
