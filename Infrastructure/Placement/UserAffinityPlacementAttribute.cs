using Orleans.Placement;

namespace Payments.Infrastructure.Placement;

/// <summary>Marks a grain class for <see cref="UserAffinityPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class UserAffinityPlacementAttribute : PlacementAttribute
{
    public UserAffinityPlacementAttribute()
        : base(UserAffinityPlacement.Instance)
    {
    }
}
