using Microsoft.Extensions.Options;

namespace Payments.Infrastructure.Streams;

/// <summary>Checks <see cref="StreamOptions"/> at start; each message names the setting to change.</summary>
internal sealed class StreamOptionsValidator : IValidateOptions<StreamOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamOptions options)
    {
        var failures = new List<string>();
        if (options.Partitions is < 1 or > OutboxPartition.MaxPartitions)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.Partitions)} must be between 1 and {OutboxPartition.MaxPartitions:N0} (got {options.Partitions}).");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.BatchSize)} must be between 1 and 10,000 (got {options.BatchSize}).");
        }

        if (options.MaxBatchesInFlight is < 1 or > 64)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.MaxBatchesInFlight)} must be between 1 and 64 (got {options.MaxBatchesInFlight}).");
        }

        if (options.PollInterval < TimeSpan.FromMilliseconds(10) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.PollInterval)} must be between 10 ms and 1 minute (got {options.PollInterval}).");
        }

        if (options.MaxDeliveryTime < TimeSpan.FromMilliseconds(100) || options.MaxDeliveryTime > TimeSpan.FromHours(1))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.MaxDeliveryTime)} must be between 100 ms and one hour (got {options.MaxDeliveryTime}).");
        }

        if (options.RetryBackoff < TimeSpan.Zero || options.MaxRetryBackoff < options.RetryBackoff || options.MaxRetryBackoff > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.RetryBackoff)} must be at least zero and at most {nameof(StreamOptions.MaxRetryBackoff)}, which is at most one minute.");
        }

        if (options.OutboxRetention < TimeSpan.Zero)
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.OutboxRetention)} must not be negative (got {options.OutboxRetention}).");
        }

        if (options.OutboxTrimInterval < TimeSpan.FromMilliseconds(10) || options.OutboxTrimInterval > TimeSpan.FromDays(1))
        {
            failures.Add($"{StreamOptions.SectionName}:{nameof(StreamOptions.OutboxTrimInterval)} must be between 10 ms and one day (got {options.OutboxTrimInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
