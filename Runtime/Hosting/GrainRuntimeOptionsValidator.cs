using Microsoft.Extensions.Options;

namespace Orleans.Payments.Runtime.Hosting;

internal sealed class GrainRuntimeOptionsValidator : IValidateOptions<GrainRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainRuntimeOptions options)
    {
        var failures = new List<string>();
        RequirePositive(options.CallTimeout, nameof(options.CallTimeout));
        RequirePositive(options.CallTimeoutCheckInterval, nameof(options.CallTimeoutCheckInterval));
        RequirePositive(options.CollectionAge, nameof(options.CollectionAge));
        RequirePositive(options.CollectionQuantum, nameof(options.CollectionQuantum));
        RequirePositive(options.ShutdownTimeout, nameof(options.ShutdownTimeout));
        if (options.MaxQueuedRequestsPerActivation is < 1 or > 10_000_000)
        {
            failures.Add($"{GrainRuntimeOptions.SectionName}:{nameof(options.MaxQueuedRequestsPerActivation)} must be between 1 and 10,000,000 (currently {options.MaxQueuedRequestsPerActivation}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void RequirePositive(TimeSpan value, string option)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{GrainRuntimeOptions.SectionName}:{option} must be positive (currently {value}).");
            }
        }
    }
}
