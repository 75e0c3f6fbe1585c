using Payments.Infrastructure.Hosting;
using Payments.Silo.Commands;
using Payments.Silo.Database;
using Payments.Silo.Hosting;
using Serilog.Extensions.Logging;

SocketCompletions.PreferInline();
var builder = WebApplication.CreateBuilder(args);
using var bootstrapLogger = SerilogSetup.CreateBootstrapLogger(builder.Configuration);
using var bootstrapLoggers = new SerilogLoggerFactory(bootstrapLogger);
var startup = bootstrapLoggers.CreateLogger("Payments.Silo");

try
{
    if (args.Length > 0 && args[0] == ReconcileCommand.Name)
    {
        return await ReconcileCommand.RunAsync(args[1..], builder.Configuration, bootstrapLoggers, Console.Out);
    }

    // The embedded PostgreSQL (when no connection string is set) outlives the host: it stops after the silo has stopped.
    await using var database = await PaymentsDatabase.OpenAsync(builder.Configuration, startup);
    var app = SiloApplication.Build(builder, database.ConnectionString);
    await app.RunAsync();
    startup.LogInformation("The silo stopped");
    return 0;
}
catch (Exception error) when (error is not OperationCanceledException)
{
    startup.LogCritical(error, "The silo stopped on an error");
    return 1;
}
