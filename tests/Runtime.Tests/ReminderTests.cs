using Orleans.Payments.Runtime.Tests.Grains;
using Orleans.Payments.Runtime.Tests.Infrastructure;
using Orleans.Payments.TestSupport;
using Xunit;

namespace Orleans.Payments.Runtime.Tests;

/// <summary>Durable reminders: they fire, repeat, survive a restart, and fire once with several silos polling.</summary>
public sealed class ReminderTests
{
    [Fact]
    public async Task A_periodic_reminder_repeats_until_cancelled()
    {
        await using var silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("reminders"));
        var grain = silo.GrainFactory.GetGrain<IReminderGrain>("periodic");
        await grain.Schedule("tick", dueMilliseconds: 100, periodMilliseconds: 200);

        await Eventually.TrueAsync(() => Task.FromResult(ReminderGrain.CountFor("periodic") >= 3), TimeSpan.FromSeconds(10), "the reminder repeats");
        Assert.True(await grain.Cancel("tick"));
        await Task.Delay(1_000); // A firing claimed just before the cancel may still land (late on a loaded machine).
        var afterCancel = ReminderGrain.CountFor("periodic");
        await Task.Delay(800);
        Assert.Equal(afterCancel, ReminderGrain.CountFor("periodic"));
    }

    [Fact]
    public async Task A_reminder_fires_after_a_restart_of_the_silo()
    {
        var database = await TestPostgres.CreateDatabaseAsync("reminder-restart");
        await using (var before = await TestSilo.StartAsync(database))
        {
            await before.GrainFactory.GetGrain<IReminderGrain>("survivor").Schedule("later", dueMilliseconds: 5_000, periodMilliseconds: 0); // Due after the first silo has stopped.
        }

        Assert.Equal(0, ReminderGrain.CountFor("survivor"));
        await using var after = await TestSilo.StartAsync(database);
        await Eventually.TrueAsync(() => Task.FromResult(ReminderGrain.CountFor("survivor") == 1), TimeSpan.FromSeconds(30), "the reminder fires on the new silo");
        await Task.Delay(500);
        Assert.Equal(1, ReminderGrain.CountFor("survivor")); // One-shot: once.
    }

    [Fact]
    public async Task A_one_shot_reminder_whose_firing_failed_fires_again_and_then_no_more()
    {
        await using var silo = await TestSilo.StartAsync(await TestPostgres.CreateDatabaseAsync("reminder-retry"), reminders: options => options.OneShotRetryDelay = TimeSpan.FromSeconds(2));
        await silo.GrainFactory.GetGrain<IReminderGrain>("retried").Schedule(ReminderGrain.FailsOnce, dueMilliseconds: 100, periodMilliseconds: 0);

        // The first firing throws; the row stays claimed for the retry delay (2 s here) and is claimed again.
        await Eventually.TrueAsync(() => Task.FromResult(ReminderGrain.CountFor("retried") == 1), TimeSpan.FromSeconds(10), "the reminder fires again after its failed firing");
        await Task.Delay(4_000); // Two retry delays: a row left behind would fire again.
        Assert.Equal(1, ReminderGrain.CountFor("retried"));
    }

    [Fact]
    public async Task Each_due_reminder_fires_once_with_two_silos_polling()
    {
        var database = await TestPostgres.CreateDatabaseAsync("reminder-once");
        await using var first = await TestSilo.StartAsync(database);
        await using var second = await TestSilo.StartAsync(database);
        var keys = Enumerable.Range(0, 30).Select(i => $"once-{i}").ToList();
        await Task.WhenAll(keys.Select(key => first.GrainFactory.GetGrain<IReminderGrain>(key).Schedule("once", dueMilliseconds: 300, periodMilliseconds: 0)));

        await Eventually.TrueAsync(() => Task.FromResult(keys.All(key => ReminderGrain.CountFor(key) >= 1)), TimeSpan.FromSeconds(10), "every reminder fires");
        await Task.Delay(500);
        Assert.All(keys, key => Assert.Equal(1, ReminderGrain.CountFor(key)));
    }
}
