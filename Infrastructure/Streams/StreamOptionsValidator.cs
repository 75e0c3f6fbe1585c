using Microsoft.Extensions.Options;

namespace Payments.Infrastructure.Streams;

/// <summary>Checks <see cref="StreamOptions"/> at start; each message names the setting to change.</summary>
internal sealed class StreamOptionsValidator : IValidateOptions<StreamOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamOptions options)
    {
        var failures = new List<string>();
        if (options.Partitions is < 1 or > 1_024)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.Partitions)} must be between 1 and 1,024 (got {options.Partitions}).");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.BatchSize)} must be between 1 and 10,000 (got {options.BatchSize}).");
        }

        if (options.MaxBatchesInFlight is < 1 or > 64)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.MaxBatchesInFlight)} must be between 1 and 64 (got {options.MaxBatchesInFlight}).");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.PollInterval)} must be between 10 ms and 5 minutes (got {options.PollInterval}).");
        }

        if (options.LeaseCheckInterval < TimeSpan.FromMilliseconds(10) || options.LeaseCheckInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.LeaseCheckInterval)} must be between 10 ms and 5 minutes (got {options.LeaseCheckInterval}).");
        }

        if (options.OutboxRetention < TimeSpan.Zero)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.OutboxRetention)} must not be negative (got {options.OutboxRetention}).");
        }

        if (options.OutboxTrimInterval < TimeSpan.FromMilliseconds(10) || options.OutboxTrimInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.OutboxTrimInterval)} must be between 10 ms and one day (got {options.OutboxTrimInterval}).");
        }

        if (options.MaxDeliveryAttempts is < 1 or > 100)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.MaxDeliveryAttempts)} must be between 1 and 100 (got {options.MaxDeliveryAttempts}).");
        }

        if (options.RetryBackoff < TimeSpan.Zero || options.MaxRetryBackoff < options.RetryBackoff || options.MaxRetryBackoff > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.RetryBackoff)} must be at least zero and at most {nameof(StreamOptions.MaxRetryBackoff)}, which is at most one minute.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
