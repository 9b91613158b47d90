using System.Runtime.CompilerServices;
using System.Text;
using Tend.Core.Errors;

namespace Tend.Data.Sources;

/// <summary>
/// A streaming RFC 4180 parser: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF or LF; an empty
/// field, quoted or not, is a missing value. Reads through a 64 KiB buffer and copies each field's characters once,
/// into a record buffer read as spans (<see cref="NextRecord"/>), or as strings (<see cref="Next"/>).
/// </summary>
internal sealed class CsvParser(TextReader reader, char delimiter, string file)
{
    private readonly char[] _buffer = new char[64 * 1024];
    private int _pos, _len;
    private long _line = 1;

    private char[] _chars = new char[4096];
    private int[] _starts = new int[64], _lengths = new int[64];
    private int _used, _count;

    /// <summary>Where the last record's text is: in the read buffer itself (a plain line), or in the record buffer.</summary>
    private char[] _record = [];
    private int _recordStart, _recordLength;

    /// <summary>The line on which the last record read starts.</summary>
    public long Line { get; private set; }

    /// <summary>The number of fields of the last record read.</summary>
    public int FieldCount => _count;

    /// <summary>A field of the last record read: empty when missing (see <see cref="IsMissing"/>).</summary>
    public ReadOnlySpan<char> Field(int i) => _lengths[i] < 0 ? [] : _record.AsSpan(_recordStart + _starts[i], _lengths[i]);

    /// <summary>The last record's text: its fields at <see cref="Starts"/> with <see cref="Lengths"/> (-1: missing).</summary>
    public ReadOnlySpan<char> Text => _record.AsSpan(_recordStart, _recordLength);

    public ReadOnlySpan<int> Starts => _starts.AsSpan(0, _count);

    public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, _count);

    public bool IsMissing(int i) => _lengths[i] < 0;

    /// <summary>The next record as strings (null = missing), or null at the end of the input.</summary>
    public string?[]? Next() => NextRecord() ? Strings() : null;

    /// <summary>The last record read, as strings (null = missing).</summary>
    public string?[] Strings()
    {
        var fields = new string?[_count];
        for (var i = 0; i < _count; i++)
            fields[i] = IsMissing(i) ? null : new string(Field(i));
        return fields;
    }

    /// <summary>Reads the next record into the record buffer; false at the end of the input.</summary>
    public bool NextRecord()
    {
        if (!Available())
            return false;
        _count = _used = 0;
        Line = _line;
        if (PlainLine())
            return true;
        while (true)
        {
            var end = _buffer[_pos] == '"' ? QuotedField() : PlainField();
            if (end != delimiter)
                break;
            _pos++;
            if (!Available())
            {
                BeginField();
                EndField();
                break;
            }
        }
        // Only now: appending may have replaced the record buffer with a larger one.
        (_record, _recordStart, _recordLength) = (_chars, 0, _used);
        return true;
    }

    /// <summary>
    /// The common case fast: a whole line in the read buffer with no quote is split in place, its fields read straight
    /// from the buffer. False (nothing consumed) for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool PlainLine()
    {
        var rest = _buffer.AsSpan(_pos, _len - _pos);
        var end = rest.IndexOfAny('\n', '\r', '"');
        if (end < 0 || rest[end] == '"' || (rest[end] == '\r' && end + 1 == rest.Length))
            return false;
        var line = rest[..end];
        (_record, _recordStart, _recordLength) = (_buffer, _pos, line.Length);
        var start = 0;
        while (true)
        {
            var stop = line[start..].IndexOf(delimiter);
            BeginField();
            _starts[_count] = start;
            var length = stop < 0 ? line.Length - start : stop;
            _lengths[_count++] = length == 0 ? -1 : length;
            if (stop < 0)
                break;
            start += stop + 1;
        }
        _pos += end + (rest[end] == '\r' && rest[end + 1] == '\n' ? 2 : 1);
        _line++;
        return true;
    }

    /// <summary>Reads an unquoted field and returns the character that ended it (delimiter, '\n', or -1 at the end), leaving a delimiter unconsumed.</summary>
    private int PlainField()
    {
        BeginField();
        while (true)
        {
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var stop = span.IndexOfAny(delimiter, '\n', '\r');
            if (stop >= 0)
            {
                Append(span[..stop]);
                EndField();
                _pos += stop;
                return EndOfField();
            }
            Append(span);
            _pos = _len;
            if (!Available())
            {
                EndField();
                return -1;
            }
        }
    }

    private int QuotedField()
    {
        BeginField();
        var startLine = _line;
        _pos++;
        while (true)
        {
            if (!Available())
                throw TendException.InvalidData($"{file}:{startLine}: column {_count + 1}: a quoted field is never closed; expected a closing '\"'");
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var quote = span.IndexOf('"');
            var chunk = quote < 0 ? span : span[..quote];
            _line += chunk.Count('\n');
            Append(chunk);
            if (quote < 0)
            {
                _pos = _len;
                continue;
            }
            _pos += quote + 1;
            if (Available() && _buffer[_pos] == '"')
            {
                Append("\"");
                _pos++;
                continue;
            }
            EndField();
            if (!Available())
                return -1;
            var next = _buffer[_pos];
            if (next != delimiter && next is not ('\n' or '\r'))
                throw TendException.InvalidData($"{file}:{_line}: column {_count}: unexpected '{next}' after a closing quote; expected '{Shown(delimiter)}' or the end of the line");
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

    private void BeginField()
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _count * 2);
            Array.Resize(ref _lengths, _count * 2);
        }
        _starts[_count] = _used;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_used + chars.Length > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + chars.Length));
        chars.CopyTo(_chars.AsSpan(_used));
        _used += chars.Length;
    }

    /// <summary>Ends the current field; an empty one is missing.</summary>
    private void EndField()
    {
        var length = _used - _starts[_count];
        _lengths[_count++] = length == 0 ? -1 : length;
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
            // The reader decodes a whole buffer ahead: the bytes are somewhere from this line on.
            throw CsvFormat.NotInEncoding($"{file}, line {_line} or a later one", e);
        }
        _pos = 0;
        return _len > 0;
    }

    private static string Shown(char c) => c == '\t' ? "\\t" : c.ToString();
}
