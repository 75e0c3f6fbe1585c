namespace Payments.Grains.Interfaces.Identity;

/// <summary>A user's identity: a UUID (version 7, time-ordered) rendered in its standard form.</summary>
[GenerateSerializer, Immutable]
public readonly record struct UserId(Guid Value)
{
    public static UserId New() => new(Guid.CreateVersion7());

    public static bool TryParse(string? text, out UserId id)
    {
        var ok = StandardUuid.TryParse(text, out var value);
        id = new UserId(value);
        return ok;
    }

    /// <summary>The grain key of this user's grains (wallet, sessions index).</summary>
    public string Key => Value.ToString("D");

    public override string ToString() => Key;
}
