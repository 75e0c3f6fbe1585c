using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.TestSupport;

namespace Payments.Tests;

/// <summary>The test webhook receiver (tests/WebhookReceiver) in a process of its own, on a loopback port.</summary>
public sealed class WebhookReceiverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private WebhookReceiverProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public static async Task<WebhookReceiverProcess> StartAsync()
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Payments.WebhookReceiver.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var receiver = new WebhookReceiverProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await receiver._http.GetAsync(new Uri("/receivers/none/received", UriKind.Relative))).StatusCode == HttpStatusCode.NotFound;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the webhook receiver answers");
        return receiver;
    }

    /// <summary>The URL of the named receiver's hook.</summary>
    public string Hook(string name) => new Uri(BaseAddress, $"/hooks/{name}").ToString();

    /// <summary>Sets the named receiver's secrets and mode (ok, fail, hang, gone).</summary>
    public async Task SetAsync(string name, string mode, params string[] secrets)
    {
        using var response = await _http.PutAsJsonAsync(new Uri($"/receivers/{name}", UriKind.Relative), new { secrets, mode });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What the named receiver got: webhookId, type, verified, signatures, body.</summary>
    public async Task<JsonArray> ReceivedAsync(string name) =>
        (await _http.GetFromJsonAsync<JsonArray>(new Uri($"/receivers/{name}/received", UriKind.Relative)))!;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
