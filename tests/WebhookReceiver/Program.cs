using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using StandardWebhooks;

// A webhook receiver that checks what the platform sends against the StandardWebhooks package, the way a merchant
// would. Receivers are named; each has its secrets and a mode set over HTTP:
//   PUT  /receivers/{name} {secrets: ["whsec_…"], mode: "ok" | "fail" | "hang" | "gone"}
//   POST /hooks/{name}                      a webhook: 401 if no signature verifies, else by mode (200, 500, no answer, 410)
//   GET  /receivers/{name}/received         what arrived: id, type, whether it verified, how many signatures it had
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
var receivers = new ConcurrentDictionary<string, Receiver>(StringComparer.Ordinal);

app.MapPut("/receivers/{name}", (string name, ReceiverSettings settings) =>
{
    receivers.AddOrUpdate(name, _ => new Receiver(settings), (_, existing) => existing.With(settings));
    return Results.NoContent();
});

app.MapGet("/receivers/{name}/received", (string name) =>
    receivers.TryGetValue(name, out var receiver) ? Results.Ok(receiver.Received.ToArray()) : Results.NotFound());

app.MapPost("/hooks/{name}", async (string name, HttpRequest request, CancellationToken aborted) =>
{
    if (!receivers.TryGetValue(name, out var receiver))
    {
        return Results.NotFound();
    }

    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync(aborted);
    var signatures = request.Headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var verified = receiver.Settings.Secrets.Any(secret => signatures.Any(signature => Verifies(secret, signature, body, request.Headers)));
    var type = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
    receiver.Received.Enqueue(new Received(request.Headers["webhook-id"].ToString(), type, verified, signatures.Length, body));
    if (!verified)
    {
        return Results.Unauthorized();
    }

    switch (receiver.Settings.Mode)
    {
        case "fail":
            return Results.Text("failing on purpose", statusCode: 500);
        case "gone":
            return Results.StatusCode(StatusCodes.Status410Gone);
        case "hang":
            await Task.Delay(Timeout.Infinite, aborted);
            return Results.Ok();
        default:
            return Results.Text("ok");
    }
});

app.Run();

// The package verifies one signature per call: checking each of several on its own keeps a signature in any position
// of the header valid (its loop mishandles the last of several in version 1.1.2).
static bool Verifies(string secret, string signature, string body, IHeaderDictionary headers)
{
    var single = new HeaderDictionary
    {
        ["webhook-id"] = headers["webhook-id"],
        ["webhook-timestamp"] = headers["webhook-timestamp"],
        ["webhook-signature"] = new StringValues(signature),
    };
    try
    {
        new StandardWebhook(secret).Verify(body, single);
        return true;
    }
    catch (Exception failure) when (failure is StandardWebhooks.Diagnostics.WebhookVerificationException or ArgumentException or FormatException)
    {
        return false;
    }
}

internal sealed record ReceiverSettings(string[] Secrets, string Mode);

internal sealed record Received(string WebhookId, string? Type, bool Verified, int Signatures, string Body);

internal sealed class Receiver(ReceiverSettings settings)
{
    public ReceiverSettings Settings { get; private set; } = settings;

    public ConcurrentQueue<Received> Received { get; } = new();

    public Receiver With(ReceiverSettings settings)
    {
        Settings = settings;
        return this;
    }
}
