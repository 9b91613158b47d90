using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tend.Serving;

/// <summary>
/// Request ids in the UUID version 7 layout (RFC 9562), as 32 lower-case hex digits: the Unix time in milliseconds, then
/// a counter that starts at a random value in each process and counts up (the method of section 6.2). So ids are
/// time-ordered (the log's primary key grows at its end) and unique within a process, and two servers on one store
/// collide only if they draw counters within a few steps of each other in 2^74. Guid.CreateVersion7 draws 74 random bits
/// per id; that was 1.5 % of a predict's time (bench/README.md).
/// </summary>
public static class RequestIds
{
    private static readonly ulong Salt = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) & 0xFFF; // rand_a: 12 bits per process
    private static long _counter = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)) & 0x3FFF_FFFF_FFFF_FFFF; // rand_b: 62 bits

    public static string Next()
    {
        var counter = (ulong)Interlocked.Increment(ref _counter) & 0x3FFF_FFFF_FFFF_FFFF;
        var milliseconds = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(id, milliseconds << 16 | 0x7000 | Salt);
        BinaryPrimitives.WriteUInt64BigEndian(id[8..], 0x8000_0000_0000_0000 | counter);
        return Convert.ToHexStringLower(id);
    }
}
