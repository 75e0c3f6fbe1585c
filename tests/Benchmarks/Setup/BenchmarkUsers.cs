using Npgsql;
using Orleans;
using Payments.Grains.Interfaces.Identity;
using Payments.Grains.Interfaces.Idempotency;
using Payments.Grains.Interfaces.Users;
using Payments.Grains.Ledger;
using Payments.Grains.Users;

namespace Payments.Benchmarks.Setup;

/// <summary>The benchmarks' users: seeded straight into the tables, funded through real deposits, logged in.</summary>
internal static class BenchmarkUsers
{
    public const string Password = "benchmark-password";

    /// <summary>Users and wallets straight into the tables (registration speed is not what is measured here).</summary>
    public static async Task<string[]> SeedAsync(NpgsqlDataSource dataSource, int count)
    {
        var users = Enumerable.Range(0, count).Select(_ => UserId.New()).ToArray();
        var hash = PasswordHasher.Hash(Password, 1000);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("COPY users (id, username, display_name, password_hash) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < users.Length; i++)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(users[i].Value);
                await writer.WriteAsync($"bench_{i}");
                await writer.WriteAsync($"Bench {i}");
                await writer.WriteAsync(hash);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY accounts (id, kind, user_id, currency) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var user in users)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(LedgerAccounts.Wallet(user, "USD"));
                await writer.WriteAsync("wallet");
                await writer.WriteAsync(user.Value);
                await writer.WriteAsync("USD", NpgsqlTypes.NpgsqlDbType.Char);
            }

            await writer.CompleteAsync();
        }

        return users.Select(user => user.Key).ToArray();
    }

    /// <summary>What <see cref="FundAsync"/> gives wallet <paramref name="index"/>: 1,000,000, and 10,000,000 to wallet 0 (the hot sender).</summary>
    public static long Funding(int index) => index == 0 ? 10_000_000 : 1_000_000;

    /// <summary>Funds every wallet through real deposits (so the ledger stays balanced).</summary>
    public static async Task FundAsync(IGrainFactory grains, string[] users)
    {
        using var throttle = new SemaphoreSlim(512);
        await Task.WhenAll(users.Select(async (user, index) =>
        {
            await throttle.WaitAsync();
            try
            {
                var response = await grains.GetGrain<IIdempotencyGrain>($"{user}/funding").Execute(new DepositCommand(user, Funding(index)), "funding");
                if (response.Status != 201)
                {
                    throw new InvalidOperationException($"Funding {user} failed: {response.Body}");
                }
            }
            finally
            {
                throttle.Release();
            }
        }));
    }

    /// <summary>A session token for every user, through the user directory grain.</summary>
    public static async Task<string[]> LoginAllAsync(IGrainFactory grains, string[] users)
    {
        var directory = grains.GetGrain<IUserDirectoryGrain>("default");
        var tokens = new string[users.Length];
        using var throttle = new SemaphoreSlim(64);
        await Task.WhenAll(users.Select(async (_, index) =>
        {
            await throttle.WaitAsync();
            try
            {
                var session = await directory.Login($"bench_{index}", Password);
                tokens[index] = session.Value?.Token ?? throw new InvalidOperationException($"Login of bench_{index} failed: {session.Error?.Message}");
            }
            finally
            {
                throttle.Release();
            }
        }));
        return tokens;
    }
}
