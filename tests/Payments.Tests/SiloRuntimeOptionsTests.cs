using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Payments.Silo.Hosting;
using Xunit;

namespace Payments.Tests;

/// <summary>The runtime section is checked before Orleans is configured from it: a bad value names its setting.</summary>
public sealed class SiloRuntimeOptionsTests
{
    [Fact]
    public void Defaults_pass_and_sample_the_dashboard_every_ten_seconds()
    {
        var options = SiloRuntimeOptions.Read(Configuration());

        Assert.Equal(TimeSpan.FromSeconds(10), options.DashboardSampleInterval);
        Assert.Equal(100_000, options.DirectoryCacheSize);
    }

    [Theory]
    [InlineData("DashboardSampleInterval", "00:00:00.500")]
    [InlineData("DashboardSampleInterval", "00:06:00")]
    [InlineData("DirectoryCacheSize", "999")]
    [InlineData("CollectionQuantum", "00:00:10")]
    [InlineData("CallTimeout", "00:00:00.100")]
    [InlineData("MaxQueuedRequestsPerActivation", "99")]
    public void An_out_of_range_value_stops_the_silo_naming_its_setting(string setting, string value)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => SiloRuntimeOptions.Read(Configuration((setting, value))));

        Assert.Contains($"{SiloRuntimeOptions.SectionName}:{setting}", failure.Message);
    }

    [Fact]
    public void A_value_inside_its_range_is_taken()
    {
        var options = SiloRuntimeOptions.Read(Configuration(("DashboardSampleInterval", "00:01:00")));

        Assert.Equal(TimeSpan.FromMinutes(1), options.DashboardSampleInterval);
    }

    private static IConfiguration Configuration(params (string Setting, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create($"{SiloRuntimeOptions.SectionName}:{setting.Setting}", (string?)setting.Value)))
            .Build();
}
