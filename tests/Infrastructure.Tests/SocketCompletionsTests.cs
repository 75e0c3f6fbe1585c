using Payments.Infrastructure.Hosting;
using Xunit;

namespace Payments.Infrastructure.Tests;

/// <summary>The silo and the front end turn inline socket completions on, and an operator's own setting wins.</summary>
public sealed class SocketCompletionsTests
{
    [Fact]
    public void Inline_completions_are_turned_on_unless_the_environment_already_says_either_way()
    {
        var before = Environment.GetEnvironmentVariable(SocketCompletions.InlineVariable);
        try
        {
            Environment.SetEnvironmentVariable(SocketCompletions.InlineVariable, null);
            SocketCompletions.PreferInline();
            Assert.Equal("1", Environment.GetEnvironmentVariable(SocketCompletions.InlineVariable));

            Environment.SetEnvironmentVariable(SocketCompletions.InlineVariable, "0");
            SocketCompletions.PreferInline();
            Assert.Equal("0", Environment.GetEnvironmentVariable(SocketCompletions.InlineVariable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SocketCompletions.InlineVariable, before);
        }
    }
}
