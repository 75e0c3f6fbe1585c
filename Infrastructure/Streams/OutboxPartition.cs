using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Payments.Infrastructure.Streams;

/// <summary>
/// Which partition (Orleans queue) of the outbox a stream belongs to. The outbox is read by partition in SQL and Orleans
/// maps streams to queues in .NET, so both must compute the same function: PostgreSQL's <c>hashtext</c> of
/// "namespace/key", made non-negative, modulo the partition count. <see cref="Hash"/> reimplements <c>hashtext</c>
/// (PostgreSQL's <c>hash_bytes</c>, Bob Jenkins' lookup3 as in src/common/hashfn.c, on the UTF-8 bytes of a text under
/// a deterministic collation); a test checks it against the server.
/// </summary>
public static class OutboxPartition
{
    /// <summary>Most partitions a cluster may use (see <see cref="StreamOptions.Partitions"/>).</summary>
    public const int MaxPartitions = 1_024;

    /// <summary>The SQL for the partition of an outbox row (of table alias <paramref name="alias"/>) among <paramref name="partitions"/>.</summary>
    public static string Sql(string? alias, string partitions)
    {
        var column = alias is null ? "" : alias + ".";
        return $"((hashtext({column}stream_namespace || '/' || {column}stream_key) & 2147483647) % {partitions})";
    }

    /// <summary>The partition of <paramref name="stream"/> among <paramref name="partitions"/>, as <see cref="Sql"/> computes it.</summary>
    public static int Of(StreamId stream, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, MaxPartitions);
        var text = $"{stream.GetNamespace()}/{stream.GetKeyAsString()}";
        return (Hash(Encoding.UTF8.GetBytes(text)) & int.MaxValue) % partitions;
    }

    /// <summary>PostgreSQL's <c>hash_bytes</c> (what <c>hashtext</c> returns, as a signed 32-bit integer).</summary>
    public static int Hash(ReadOnlySpan<byte> key)
    {
        uint a, b, c;
        a = b = c = 0x9e3779b9 + (uint)key.Length + 3923095;

        // Whole 12-byte blocks, read as little-endian words (what the server computes on little-endian hardware).
        while (key.Length >= 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(key);
            b += BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
            Mix(ref a, ref b, ref c);
            key = key[12..];
        }

        // The last 0 to 11 bytes; the lowest byte of c is left for nothing, as in hash_bytes.
        switch (key.Length)
        {
            case 11: c += (uint)key[10] << 24; goto case 10;
            case 10: c += (uint)key[9] << 16; goto case 9;
            case 9: c += (uint)key[8] << 8; goto case 8;
            case 8: b += (uint)key[7] << 24; goto case 7;
            case 7: b += (uint)key[6] << 16; goto case 6;
            case 6: b += (uint)key[5] << 8; goto case 5;
            case 5: b += key[4]; goto case 4;
            case 4: a += (uint)key[3] << 24; goto case 3;
            case 3: a += (uint)key[2] << 16; goto case 2;
            case 2: a += (uint)key[1] << 8; goto case 1;
            case 1: a += key[0]; break;
        }

        Final(ref a, ref b, ref c);
        return unchecked((int)c);
    }

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
