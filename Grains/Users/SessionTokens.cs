using System.Buffers.Text;
using System.Security.Cryptography;
using Payments.Grains.Interfaces.Users;

namespace Payments.Grains.Users;

/// <summary>
/// Bearer tokens: <see cref="SessionTokenFormat.RandomBytes"/> random bytes, unpadded base64url (the shape
/// <see cref="SessionTokenFormat"/> checks). Only their key (<see cref="SessionTokenFormat.KeyOf"/>) is stored.
/// </summary>
public static class SessionTokens
{
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SessionTokenFormat.RandomBytes));
}
