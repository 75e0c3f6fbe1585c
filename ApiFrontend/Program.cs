using Payments.ApiFrontend;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Postgres;

// The REST front end as its own process: it hosts no grains and calls the silos through the grain client, which
// finds each grain's owner from the cluster's membership table in PostgreSQL.
var builder = WebApplication.CreateBuilder(args);
using var logger = SerilogSetup.CreateLogger(builder.Configuration);
builder.Logging.UseSerilog(logger);

var connectionString = builder.Configuration.GetConnectionString("Payments");
if (string.IsNullOrWhiteSpace(connectionString))
{
    logger.Fatal("Set ConnectionStrings__Payments to the cluster's PostgreSQL: the front end reads the silos' membership from it");
    return 2;
}

builder.Services.AddPostgresDataSource(connectionString, "payments-frontend");
builder.Services.AddGrainClient();
builder.Services.AddHealthChecks()
    .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag])
    .AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
builder.AddPaymentsApi();

var app = builder.Build();
app.MapHealthEndpoints();
app.MapPaymentsApi();
await app.RunAsync();
return 0;
