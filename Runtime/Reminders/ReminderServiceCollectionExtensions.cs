using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Payments.Runtime.Reminders;

public static class ReminderServiceCollectionExtensions
{
    /// <summary>Durable reminders in PostgreSQL (an <c>NpgsqlDataSource</c> must be registered).</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services)
    {
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.SectionName)
            .Validate(options => options.PollInterval >= TimeSpan.FromMilliseconds(50), $"{ReminderOptions.SectionName}:PollInterval must be at least 50 ms.")
            .Validate(options => options.OneShotRetryDelay >= options.PollInterval, $"{ReminderOptions.SectionName}:OneShotRetryDelay must be at least the poll interval.")
            .ValidateOnStart();
        services.AddSingleton<ReminderTable>();
        services.AddHostedService<ReminderService>();
        return services;
    }
}
