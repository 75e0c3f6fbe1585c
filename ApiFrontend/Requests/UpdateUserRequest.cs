using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Payments.ApiFrontend.Errors;
using Payments.Grains.Interfaces.Transfers;

namespace Payments.ApiFrontend.Requests;

/// <summary>PATCH /v1/users/me: the settings a user may change. Today one: the default visibility of what they send.</summary>
public sealed record UpdateUserRequest(
    [property: Required, Description("public, friends or private.")] string? DefaultVisibility)
{
    public Parsed<string> Validate() =>
        DefaultVisibility is null
            ? ApiError.Validation("defaultVisibility", "defaultVisibility is required: public, friends or private.")
            : Visibility.IsValid(DefaultVisibility)
                ? DefaultVisibility
                : ApiError.Validation("defaultVisibility", "defaultVisibility must be one of public, friends, private.");
}
