using Payments.Silo.Database;
using Payments.Silo.Hosting;
using Payments.Infrastructure.Hosting;

var builder = WebApplication.CreateBuilder(args);
using var logger = SerilogSetup.CreateLogger(builder.Configuration);
builder.Logging.UseSerilog(logger);

using var startupLoggers = LoggerFactory.Create(logging => logging.UseSerilog(logger));

try
{
    // The embedded PostgreSQL (when no connection string is set) outlives the host: it stops after the runtime has flushed.
    await using var database = await PaymentsDatabase.OpenAsync(builder.Configuration, startupLoggers.CreateLogger("Payments.Silo"));
    var app = SiloApplication.Build(builder, database.ConnectionString);
    await app.RunAsync();
    logger.Information("The silo stopped");
    return 0;
}
catch (Exception error) when (error is not OperationCanceledException)
{
    logger.Fatal(error, "The silo stopped on an error");
    return 1;
}
