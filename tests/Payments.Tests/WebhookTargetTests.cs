using System.Net;
using Microsoft.Extensions.Options;
using Payments.Grains.Webhooks;
using Xunit;

namespace Payments.Tests;

/// <summary>Webhooks never reach into the platform's own network, when an endpoint is saved nor when a connection is made.</summary>
public sealed class WebhookTargetTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:4700::1111", true)]
    public void Internal_addresses_are_not_public(string address, bool expected) =>
        Assert.Equal(expected, WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://127.0.0.1/hook", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("https://[::1]/hook", "loopback")]
    [InlineData("https://localhost/hook", "loopback")]
    [InlineData("http://93.184.216.34/hook", "https")]
    [InlineData("https://user:pass@93.184.216.34/hook", "credentials")]
    public async Task Endpoints_to_internal_hosts_or_without_https_are_refused(string url, string said)
    {
        var problem = await WebhookTargets.ProblemAsync(url, new WebhookOptions(), CancellationToken.None);
        Assert.NotNull(problem);
        Assert.Contains(said, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_to_an_internal_address_is_refused_at_delivery_time()
    {
        // A listener on loopback that would answer 200: the sender must not even connect to it.
        using var listener = new HttpListener();
        var port = Payments.TestSupport.LoopbackPort.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var accepted = listener.GetContextAsync();

        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowHttp = true }), TimeProvider.System);
        var result = await sender.SendAsync($"http://127.0.0.1:{port}/hook", "evt_test", "{}", ["whsec_" + Convert.ToBase64String(new byte[32])], CancellationToken.None);

        Assert.Null(result.StatusCode);
        Assert.Contains("refused", result.Error, StringComparison.Ordinal);
        Assert.False(accepted.IsCompleted);
    }
}
