using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Tend.Data.Versions;

/// <summary>
/// The canonical form a version's hash is taken over, independent of the file format (docs/data.md): a header of the
/// column names, then row by row each cell as a tag and its typed value in little-endian — 0 missing; 1 float64;
/// 2 int64; 3 boolean byte; 4 date-time ticks (UTC when an offset was given); 5 UTF-8 text with its int32 length.
/// </summary>
internal sealed class CanonicalRow : IDisposable
{
    private const string Magic = "tend-canonical-v1\n";

    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[4096];
    private int _length;

    public CanonicalRow(IEnumerable<string> columns)
    {
        _sha.AppendData(Encoding.UTF8.GetBytes(Magic));
        foreach (var column in columns)
            Text(column);
        _sha.AppendData(_buffer, 0, _length);
        _length = 0;
    }

    public void Missing() => Reserve(1)[0] = 0;

    public void Number(double value)
    {
        var span = Reserve(9);
        span[0] = 1;
        BinaryPrimitives.WriteDoubleLittleEndian(span[1..], value == 0 ? 0 : value);
    }

    public void Integer(long value)
    {
        var span = Reserve(9);
        span[0] = 2;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value);
    }

    public void Boolean(bool value)
    {
        var span = Reserve(2);
        span[0] = 3;
        span[1] = value ? (byte)1 : (byte)0;
    }

    public void Date(DateTime value)
    {
        var span = Reserve(9);
        span[0] = 4;
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value.Ticks);
    }

    public void Text(string value)
    {
        var bytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = Reserve(5 + bytes);
        span[0] = 5;
        var written = Encoding.UTF8.GetBytes(value, span[5..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], written);
        _length -= bytes - written;
    }

    /// <summary>Adds the row to the version's hash and returns the row's own 128-bit hash (for finding duplicates).</summary>
    public UInt128 EndRow()
    {
        var row = _buffer.AsSpan(0, _length);
        _sha.AppendData(row);
        var hash = XxHash128.HashToUInt128(row);
        _length = 0;
        return hash;
    }

    public string Hash() => Convert.ToHexStringLower(_sha.GetHashAndReset());

    private Span<byte> Reserve(int bytes)
    {
        if (_length + bytes > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        var span = _buffer.AsSpan(_length, bytes);
        _length += bytes;
        return span;
    }

    public void Dispose() => _sha.Dispose();
}
