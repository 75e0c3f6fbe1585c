using System.Buffers;
using System.Threading.Channels;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>
/// The sending half of a silo connection: callers queue frames without waiting, and one loop packs whatever has
/// queued into a single buffer and writes it with one call. Under load many calls share a send (one system call and
/// one wake-up of the reader instead of two per frame); alone, a frame goes out at once.
/// </summary>
/// <remarks>
/// The queue is unbounded: what it holds is bounded by the calls in flight, each of which has a timeout.
/// </remarks>
internal sealed class FrameWriter
{
    // A write of this size already amortizes the system call; more frames wait for the next one.
    private const int MaxBytesPerWrite = 256 * 1024;

    // A buffer grown past this for one large frame is dropped after it, not kept per connection.
    private const int MaxRetainedBufferBytes = 1024 * 1024;

    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Stream _stream;
    private readonly Action<Exception> _broken;

    /// <param name="broken">Called once if a write fails; the connection is unusable after it.</param>
    public FrameWriter(Stream stream, Action<Exception> broken)
    {
        _stream = stream;
        _broken = broken;
        Completion = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when <see cref="Complete"/> was called and every frame queued before it is written, or the stream failed.</summary>
    public Task Completion { get; }

    /// <summary>Queues a frame; false once the writer is completed or broken.</summary>
    public bool TryWrite(Frame frame)
    {
        if (frame.Payload.Length > Frame.MaxPayloadBytes)
        {
            throw new InvalidOperationException($"A frame payload is at most {Frame.MaxPayloadBytes} bytes; this one has {frame.Payload.Length}.");
        }

        return _frames.Writer.TryWrite(frame);
    }

    /// <summary>Takes no more frames; those queued are still written.</summary>
    public void Complete() => _frames.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (await _frames.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (buffer.WrittenCount < MaxBytesPerWrite && _frames.Reader.TryRead(out var frame))
                {
                    Frame.WriteTo(buffer, frame);
                }

                await _stream.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
                if (buffer.Capacity > MaxRetainedBufferBytes)
                {
                    buffer = new ArrayBufferWriter<byte>(16 * 1024);
                }
                else
                {
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception error) when (error is IOException or InvalidOperationException)
        {
            _frames.Writer.TryComplete();
            _broken(error);
        }
    }
}
