using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using Orleans.Payments.Runtime.Messaging;

namespace Orleans.Payments.Runtime.Transport;

/// <summary>
/// A connection to one silo that carries many grain calls at once, matched to their answers by correlation id.
/// Every call has a timeout. A call that could not be sent fails with <see cref="SiloUnavailableException"/> (it did
/// not run: the caller may send it to wherever membership says the grain lives now); when the connection breaks,
/// every call already sent fails at once with <see cref="GrainCallOutcomeUnknownException"/>, since the silo may
/// have run it and may still answer nobody.
/// </summary>
internal sealed class SiloConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly Stream _reads;
    private readonly FrameWriter _writer;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RemoteCallResponse>> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly JsonSerializerOptions _json;
    private readonly Task _reading;
    private long _nextCorrelationId;
    private int _closing;

    private SiloConnection(TcpClient client, JsonSerializerOptions json)
    {
        _client = client;
        var stream = client.GetStream();
        // Reads go through a buffer so one receive can bring many answers; writes go through the frame writer.
        _reads = new BufferedStream(stream, Frame.ReadBufferBytes);
        _writer = new FrameWriter(stream, _ => Close());
        _json = json;
        _reading = Task.Run(ReadAsync);
    }

    public string Address { get; private init; } = "";

    /// <summary>False once the connection has broken; a broken connection is replaced, never reused.</summary>
    public bool IsOpen => !_closed.IsCancellationRequested;

    /// <summary>
    /// A silo accepts in milliseconds; one whose host has gone or is cut off would otherwise hold every caller for the
    /// kernel's SYN retries (about two minutes), well past the call timeout.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    public static async Task<SiloConnection> ConnectAsync(string host, int port, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException refused)
        {
            client.Dispose();
            throw new SiloUnavailableException($"Silo {host}:{port} does not accept connections ({refused.SocketErrorCode}).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw new SiloUnavailableException($"Silo {host}:{port} did not accept a connection within {ConnectTimeout.TotalSeconds:0} s.");
        }

        return new SiloConnection(client, json) { Address = $"{host}:{port}" };
    }

    /// <summary>Calls a grain method on the silo and returns its result (null for methods without one).</summary>
    /// <param name="forwarded">The call came from another silo that does not own the grain: the receiver must run it.</param>
    public async Task<object?> CallAsync(GrainMethod method, GrainId target, object?[]? arguments, TimeSpan timeout, bool forwarded = false)
    {
        var request = new RemoteCallRequest(
            target.Type, target.Key, method.Method.DeclaringType!.FullName!, method.Method.Name,
            method.WriteArguments(arguments, _json), (int)timeout.TotalMilliseconds, forwarded);
        var response = await SendAsync(JsonSerializer.SerializeToUtf8Bytes(request, _json), timeout).ConfigureAwait(false);
        if (response.Error is { } error)
        {
            throw RemoteErrors.ToException(error);
        }

        return response.Result?.Deserialize(method.ResultType, _json);
    }

    private async Task<RemoteCallResponse> SendAsync(byte[] payload, TimeSpan timeout)
    {
        if (!IsOpen)
        {
            throw new SiloUnavailableException($"The connection to silo {Address} is closed.");
        }

        var correlationId = Interlocked.Increment(ref _nextCorrelationId);
        var answer = new TaskCompletionSource<RemoteCallResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = answer;
        try
        {
            // Checked again after registering: a close in between has either failed the answer or is seen here.
            if (!IsOpen || !_writer.TryWrite(new Frame(FrameKind.Request, correlationId, payload)))
            {
                throw new SiloUnavailableException($"The connection to silo {Address} is closed.");
            }

            return await answer.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new GrainCallTimeoutException($"Silo {Address} did not answer within {timeout.TotalSeconds:0.###} s.");
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await Frame.ReadAsync(_reads, _closed.Token).ConfigureAwait(false) is { } frame)
            {
                if (frame.Kind == FrameKind.Response && _pending.TryRemove(frame.CorrelationId, out var answer))
                {
                    answer.TrySetResult(JsonSerializer.Deserialize<RemoteCallResponse>(frame.Payload, _json)!);
                }
            }
        }
        catch (Exception error) when (error is IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException or SocketException or JsonException)
        {
            // Fall through: the connection is gone either way.
        }

        Close();
    }

    private void Close()
    {
        // The reader and the writer may both find the connection broken: one of them closes it.
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        _closed.Cancel();
        _writer.Complete();
        _client.Close();
        // Every call still pending was handed to the writer (one refused by it fails with SiloUnavailableException).
        var broken = new GrainCallOutcomeUnknownException($"The connection to silo {Address} closed while a call was in flight; it may or may not have run.");
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(broken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _reading.ConfigureAwait(false);
        await _writer.Completion.ConfigureAwait(false);
        _client.Dispose();
        _closed.Dispose();
    }
}
