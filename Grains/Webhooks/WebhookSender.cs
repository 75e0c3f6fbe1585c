using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Payments.Grains.Webhooks;

/// <summary>
/// Posts signed webhooks: the <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c> headers of
/// Standard Webhooks, a time limit per attempt, no redirects followed, and every connection made to an address
/// checked by <see cref="WebhookTargets"/> at connect time (a host that resolved to a public address when the endpoint
/// was saved may resolve to an internal one now).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const int ResponseBodyLimit = 1_024;

    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Orleans.Payments-Webhooks/1.0");
    }

    public async Task<WebhookAttemptResult> SendAsync(string url, string messageId, string body, IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Header(secrets, messageId, timestamp, body));
        using var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeLimit.CancelAfter(_options.Timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeLimit.Token);
            var answer = await ReadPrefixAsync(response.Content, timeLimit.Token);
            var status = (int)response.StatusCode;
            var error = status is >= 200 and < 300 ? null
                : status is >= 300 and < 400 ? $"redirect {status} not followed"
                : $"status {status}";
            return new WebhookAttemptResult(status, Elapsed(clock), error, answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(null, Elapsed(clock), $"no answer within {_options.Timeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException failure)
        {
            return new WebhookAttemptResult(null, Elapsed(clock), failure.InnerException is WebhookTargetRefusedException refused ? refused.Message : failure.Message, null);
        }
    }

    public void Dispose() => _client.Dispose();

    private static int Elapsed(Stopwatch clock) => (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds);

    /// <summary>The first <see cref="ResponseBodyLimit"/> bytes of the answer, as text; the rest is not read.</summary>
    private static async Task<string?> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ResponseBodyLimit];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var count and > 0)
        {
            read += count;
        }

        if (read == 0)
        {
            return null;
        }

        // A cut in the middle of a multi-byte character leaves a replacement character; drop it to stay within the limit.
        var text = Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\uFFFD');
        while (Encoding.UTF8.GetByteCount(text) > ResponseBodyLimit)
        {
            text = text[..^1];
        }

        return text;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = _options.AllowPrivateTargets ? addresses : addresses.Where(WebhookTargets.IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException($"refused: {host} resolves to no public address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
