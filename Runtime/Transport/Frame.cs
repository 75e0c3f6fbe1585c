using System.Buffers;
using System.Buffers.Binary;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>What a frame carries.</summary>
internal enum FrameKind : byte
{
    Request = 1,
    Response = 2,
}

/// <summary>
/// One message on a silo connection: 4-byte big-endian length of what follows, 1-byte kind, 8-byte correlation id,
/// then a UTF-8 JSON payload. Requests and responses are matched by correlation id, so one connection carries many
/// calls at once.
/// </summary>
internal readonly record struct Frame(FrameKind Kind, long CorrelationId, byte[] Payload)
{
    /// <summary>The largest payload accepted; a larger frame is a protocol error and closes the connection.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    private const int HeaderBytes = 1 + 8;

    /// <summary>Read buffer of a connection: one receive can bring many frames.</summary>
    public const int ReadBufferBytes = 64 * 1024;

    /// <summary>Appends the frame, header and payload, to <paramref name="buffer"/> (its size was checked when it was queued).</summary>
    public static void WriteTo(IBufferWriter<byte> buffer, Frame frame)
    {
        var header = buffer.GetSpan(4 + HeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(header, HeaderBytes + frame.Payload.Length);
        header[4] = (byte)frame.Kind;
        BinaryPrimitives.WriteInt64BigEndian(header[5..], frame.CorrelationId);
        buffer.Advance(4 + HeaderBytes);
        buffer.Write(frame.Payload);
    }

    /// <summary>Reads the next frame; null at a clean end of stream.</summary>
    public static async Task<Frame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var lengthBytes = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, lengthBytes, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(lengthBytes);
        if (length is < HeaderBytes or > HeaderBytes + MaxPayloadBytes)
        {
            throw new InvalidDataException($"Frame length {length} is outside 9..{HeaderBytes + MaxPayloadBytes}.");
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        var kind = (FrameKind)body[0];
        if (kind is not (FrameKind.Request or FrameKind.Response))
        {
            throw new InvalidDataException($"Unknown frame kind {body[0]}.");
        }

        return new Frame(kind, BinaryPrimitives.ReadInt64BigEndian(body.AsSpan(1)), body[HeaderBytes..]);
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return read == buffer.Length
            ? true
            : read == 0 ? false : throw new EndOfStreamException("The connection closed in the middle of a frame.");
    }
}
