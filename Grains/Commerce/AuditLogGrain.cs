using Orleans;
using Orleans.Concurrency;
using Payments.Grains.Interfaces.Commerce;

namespace Payments.Grains.Commerce;

[StatelessWorker]
[GrainType("audit-log")]
public sealed class AuditLogGrain(AuditStore store) : Grain, IAuditLogGrain
{
    public Task<AuditPage> List(string? merchantId, string? resourceId, int limit, long? startingAfter) =>
        store.ListAsync(merchantId, resourceId, limit, startingAfter);
}
