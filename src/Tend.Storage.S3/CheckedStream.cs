using System.Security.Cryptography;
using Amazon.S3.Model;
using Tend.Core.Errors;

namespace Tend.Storage.S3;

/// <summary>
/// An artifact's bytes as they stream from the bucket, hashed on the way: at the end, bytes whose SHA-256 is not the
/// one committed are an error naming the artifact, never a silent corruption. Disposing it ends the response.
/// </summary>
internal sealed class CheckedStream(GetObjectResponse response, string sha256, string what) : Stream
{
    private readonly Stream _inner = response.ResponseStream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => response.ContentLength;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Checked(buffer.AsSpan(offset, _inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        return Checked(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Checked(ReadOnlySpan<byte> read)
    {
        if (read.Length > 0)
            _hash.AppendData(read);
        else if (!_checked)
        {
            _checked = true;
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (actual != sha256)
                throw new TendException(ErrorCode.InvalidData, $"{what} is corrupt: its bytes have SHA-256 {actual}, not the {sha256} it was stored with");
        }
        return read.Length;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
