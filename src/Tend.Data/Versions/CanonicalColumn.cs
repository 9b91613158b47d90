using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Tend.Data.Versions;

/// <summary>
/// One column's part of the canonical form a version's hash is taken over (docs/data.md): its cells in row order, each a
/// tag and its typed value in little-endian — 0 missing; 1 float64; 2 int64; 3 boolean byte; 4 date-time ticks (UTC
/// when an offset was given); 5 UTF-8 text with its int32 length — hashed with SHA-256. Each cell's bytes also get a
/// 64-bit hash, from which the row's hash for finding duplicates is made. Columns are independent, so they are
/// written in parallel.
/// </summary>
internal sealed class CanonicalColumn : IDisposable
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer;
    private int _length, _cell;

    /// <summary>The 64-bit hash of each cell of the current batch, by row.</summary>
    public ulong[] CellHashes { get; }

    /// <param name="batchSize">Rows a batch holds at most; the cells' bytes start with room for 16 a row, and grow.</param>
    public CanonicalColumn(int batchSize) => (CellHashes, _buffer) = (new ulong[batchSize], new byte[Math.Min(1 << 16, Math.Max(64, batchSize * 16))]);

    public void Missing() => EndCell(Reserve(1), 0);

    public void Number(double value)
    {
        var span = Reserve(9);
        BinaryPrimitives.WriteDoubleLittleEndian(span[1..], value == 0 ? 0 : value);
        EndCell(span, 1);
    }

    public void Integer(long value)
    {
        var span = Reserve(9);
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value);
        EndCell(span, 2);
    }

    public void Boolean(bool value)
    {
        var span = Reserve(2);
        span[1] = value ? (byte)1 : (byte)0;
        EndCell(span, 3);
    }

    public void Date(DateTime value)
    {
        var span = Reserve(9);
        BinaryPrimitives.WriteInt64LittleEndian(span[1..], value.Ticks);
        EndCell(span, 4);
    }

    public void Text(ReadOnlySpan<char> value)
    {
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = Reserve(5 + most);
        var written = Encoding.UTF8.GetBytes(value, span[5..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[1..], written);
        _length -= most - written;
        EndCell(span[..(5 + written)], 5);
    }

    /// <summary>Adds the batch's cells to the column's hash and starts the next batch.</summary>
    public void EndBatch()
    {
        _sha.AppendData(_buffer, 0, _length);
        _length = _cell = 0;
    }

    /// <summary>The column's SHA-256 over all its cells.</summary>
    public byte[] Digest() => _sha.GetHashAndReset();

    /// <summary>The canonical hash of a table: SHA-256 over the magic line, the column names as texts, and each column's digest in order.</summary>
    public static string TableHash(IEnumerable<string> names, IEnumerable<byte[]> digests)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData("tend-canonical-v2\n"u8);
        using var header = new CanonicalColumn(0);
        foreach (var name in names)
            header.Text(name);
        sha.AppendData(header._buffer, 0, header._length);
        foreach (var digest in digests)
            sha.AppendData(digest);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>A row's 128-bit hash from its cells' hashes, for finding duplicate rows.</summary>
    public static UInt128 RowHash(ReadOnlySpan<ulong> cells) => XxHash128.HashToUInt128(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cells));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EndCell(Span<byte> cell, byte tag)
    {
        cell[0] = tag;
        if (_cell < CellHashes.Length)
            CellHashes[_cell++] = XxHash3.HashToUInt64(cell);
    }

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
