using Npgsql;

namespace Payments.Tests.Grains;

/// <summary>Writes a row its table's CHECK refuses, as a grain whose validation missed a case would.</summary>
public interface ICheckViolationGrain : IGrainWithStringKey
{
    Task Violate();
}

public sealed class CheckViolationGrain(NpgsqlDataSource dataSource) : Grain, ICheckViolationGrain
{
    public async Task Violate()
    {
        await using var command = dataSource.CreateCommand("INSERT INTO login_attempts (username, failures, not_before, last_failure_at) VALUES ('check_me', 0, now(), now())");
        await command.ExecuteNonQueryAsync();
    }
}
