using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Payments.ApiFrontend.Errors;
using Payments.ApiFrontend.RateLimiting;
using Payments.Grains.Interfaces.Errors;
using Zxcvbn.Matcher;

namespace Payments.ApiFrontend.Requests;

/// <summary>
/// Judges a new password with zxcvbn (the <c>zxcvbn-core</c> port of Dropbox's estimator), given the username and
/// display name as the user's own inputs, and refuses a score below <see cref="MinScore"/> with zxcvbn's reasons.
/// zxcvbn costs CPU that grows with length (about 10 ms for 16 characters, 60 ms for 48, 300 ms for 100), so it
/// judges the first <see cref="JudgedLength"/> characters and runs at most <see cref="SignInLimitOptions.MaxConcurrentPasswordChecks"/>
/// at once; one more is refused at once with 503 and Retry-After. Each zxcvbn instance loads its dictionaries (about
/// 150 ms) and is used by one thread at a time, so instances are pooled.
/// </summary>
public sealed class PasswordStrength : IDisposable
{
    /// <summary>zxcvbn's 0–4: 3 is "safely unguessable: moderate protection from offline slow-hash attacks".</summary>
    public const int MinScore = 3;

    /// <summary>Characters judged; a longer password is judged on its beginning.</summary>
    public const int JudgedLength = 40;

    private readonly ConcurrentBag<Zxcvbn.Zxcvbn> _instances = [];
    private readonly ConcurrencyLimiter _slots;

    public PasswordStrength(IOptions<SignInLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.Value.EffectiveMaxConcurrentPasswordChecks, QueueLimit = 0 });
    }

    /// <summary>Null when the password is strong enough; otherwise the error to answer (400 on the password field, or 503 when busy).</summary>
    public ApiError? Judge(NewUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var lease = _slots.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            return new ApiError(ErrorCodes.ServiceUnavailable, "Too many passwords are being checked right now; retry in a second.", Retryable: true, RetryAfter: 1)
            {
                Status = 503,
            };
        }

        var zxcvbn = _instances.TryTake(out var pooled) ? pooled : new Zxcvbn.Zxcvbn();
        try
        {
            var password = user.Password.Length > JudgedLength ? user.Password[..JudgedLength] : user.Password;
            var result = zxcvbn.EvaluatePassword(password, [user.Username.Value, user.DisplayName, .. user.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            return result.Score >= MinScore
                ? null
                : ApiError.Validation(
                    "password",
                    $"password is too weak (zxcvbn score {result.Score} of 4, at least {MinScore} needed; it would be guessed in {result.CrackTimeDisplay}): {Reasons(result)}");
        }
        finally
        {
            _instances.Add(zxcvbn);
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>zxcvbn's feedback, from the patterns it matched (the wording of zxcvbn's own feedback module).</summary>
    private static string Reasons(Zxcvbn.Result result)
    {
        var reasons = new List<string>();
        foreach (var match in result.MatchSequence)
        {
            var reason = match switch
            {
                DictionaryMatch { DictionaryName: "user_inputs" } => "it contains your username or display name.",
                L33tDictionaryMatch { DictionaryName: "passwords" } => $"\"{match.Token}\" is a common password, and predictable substitutions like '@' for 'a' do not help much.",
                DictionaryMatch { DictionaryName: "passwords", Rank: <= 10 } => $"\"{match.Token}\" is a top-10 common password.",
                DictionaryMatch { DictionaryName: "passwords", Rank: <= 100 } => $"\"{match.Token}\" is a top-100 common password.",
                DictionaryMatch { DictionaryName: "passwords" } => $"\"{match.Token}\" is a commonly used password.",
                L33tDictionaryMatch => "predictable substitutions like '@' for 'a' do not help much.",
                DictionaryMatch => "common words and names are easy to guess.",
                RepeatMatch => "repeats like \"aaa\" are easy to guess.",
                SequenceMatch => "sequences like abc or 6543 are easy to guess.",
                SpatialMatch => "straight rows or short patterns of keys are easy to guess.",
                DateMatch => "dates are easy to guess.",
                _ when match.Pattern == "year" => "recent years are easy to guess.",
                _ => null,
            };
            if (reason is not null && !reasons.Contains(reason))
            {
                reasons.Add(reason);
            }
        }

        if (reasons.Count == 0)
        {
            reasons.Add("it is too short for its kind of characters.");
        }

        return string.Join(" ", reasons) + " Add another word or two; uncommon words are better.";
    }
}
