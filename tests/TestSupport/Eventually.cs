using System.Diagnostics;

namespace Payments.TestSupport;

/// <summary>Polls a condition with a deadline, for effects the runtime produces in the background (collection, timers).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string because)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > within)
            {
                throw new Xunit.Sdk.XunitException($"Not true within {within.TotalSeconds:0.#} s: {because}");
            }

            await Task.Delay(20);
        }
    }
}
