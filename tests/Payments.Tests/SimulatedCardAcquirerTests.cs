using Microsoft.Extensions.Options;
using Payments.Grains.Acquiring;
using Xunit;

namespace Payments.Tests;

/// <summary>The simulated acquirer answers a repeated key as it did the first time, and its memory of keys stays bounded.</summary>
public sealed class SimulatedCardAcquirerTests
{
    [Fact]
    public async Task A_repeated_key_gets_the_first_authorization_and_counts_one_approval()
    {
        using var acquirer = Acquirer(remembered: 100);
        var first = await acquirer.AuthorizeAsync(Authorization("key-1", "4242424242424242"), CancellationToken.None);
        var again = await acquirer.AuthorizeAsync(Authorization("key-1", "4242424242424242"), CancellationToken.None);

        Assert.True(first.Approved);
        Assert.Equal(first.AuthorizationCode, again.AuthorizationCode);
        Assert.Equal(1, acquirer.Approvals);
        Assert.Equal(2, acquirer.Calls);
    }

    [Fact]
    public async Task A_processing_error_is_not_remembered()
    {
        using var acquirer = Acquirer(remembered: 100);
        var failed = await acquirer.AuthorizeAsync(Authorization("key-1", "4000000000000119"), CancellationToken.None);

        Assert.Equal(DeclineCodes.ProcessingError, failed.DeclineCode);
        Assert.Equal(0, acquirer.Remembered);
    }

    [Fact]
    public async Task The_memory_of_keys_never_passes_its_bound()
    {
        using var acquirer = Acquirer(remembered: 100);
        for (var i = 0; i < 1_000; i++)
        {
            var decision = await acquirer.AuthorizeAsync(Authorization($"key-{i}", "4242424242424242"), CancellationToken.None);
            Assert.True(decision.Approved);
            Assert.InRange(acquirer.Remembered, 1, 100);
        }

        Assert.Equal(1_000, acquirer.Approvals);
    }

    private static SimulatedCardAcquirer Acquirer(int remembered) =>
        new(Options.Create(new SimulatedAcquirerOptions { RememberedDecisions = remembered }), TimeProvider.System);

    private static CardAuthorization Authorization(string key, string number) => new(key, number, 12, 2099, "123", 1_000, "USD");
}
