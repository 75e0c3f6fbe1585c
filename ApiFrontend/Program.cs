using System.Text.Json;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Serialization;
using Payments.ApiFrontend;
using Payments.ApiFrontend.Health;
using Payments.Infrastructure.Cluster;
using Payments.Infrastructure.Hosting;
using Payments.Infrastructure.Postgres;

// The REST front end as its own process: an Orleans client that hosts no grains and finds the silos' gateways through
// the membership table in the cluster's PostgreSQL.
SocketCompletions.PreferInline();
var builder = WebApplication.CreateBuilder(args);
builder.AddPaymentsLogging();

var connectionString = builder.Configuration.GetConnectionString("Payments");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("Set ConnectionStrings__Payments to the cluster's PostgreSQL: the front end finds the silos through its membership table");
    return 2;
}

var cluster = builder.Configuration.GetSection(PaymentsClusterOptions.SectionName).Get<PaymentsClusterOptions>() ?? new PaymentsClusterOptions();
NpgsqlAdoNetProvider.Register();
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(options =>
    {
        options.ClusterId = cluster.ClusterId;
        options.ServiceId = PaymentsClusterOptions.ServiceId;
    });
    client.UseAdoNetClustering(options =>
    {
        options.Invariant = PaymentsClusterOptions.AdoNetInvariant;
        options.ConnectionString = connectionString;
    });
    client.Services.AddSerializer(serializer => serializer.AddJsonSerializer(isSupported: type => type == typeof(JsonElement)));
    client.UseConnectionRetryFilter(ClusterConnectionRetry.RetryForeverAsync);
    // A silo declared dead leaves the gateway list within 2 s (Orleans' default: a minute).
    client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
    client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = cluster.ClientCallTimeout);
    client.AddDashboard();
});

builder.Services.AddPostgresDataSource(connectionString, "payments-frontend");
builder.Services.AddHealthChecks()
    .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag])
    .AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpoints.ReadyTag]);
builder.AddPaymentsApi();

var app = builder.Build();
app.UsePaymentsRequestLogging();
app.MapHealthEndpoints();
app.MapPaymentsApi();
await app.RunAsync();
return 0;
