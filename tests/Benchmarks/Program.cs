using System.Globalization;
using Payments.Benchmarks.CardWallet;
using Payments.Benchmarks.Commerce;
using Payments.Benchmarks.Cluster;
using Payments.Benchmarks.Feed;
using Payments.Benchmarks.MerchantPayments;
using Payments.Benchmarks.Notifications;
using Payments.Benchmarks.Reporting;
using Payments.Benchmarks.Runtime;
using Payments.Benchmarks.Transfers;
using Payments.Benchmarks.Webhooks;
using Payments.Infrastructure.Hosting;

// The silos measured here run in this process, with the setting their own Program.cs makes.
SocketCompletions.PreferInline();

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("""
        usage: Benchmarks runtime   [--duration 10] [--activations 100000] [--out results.json]   (Orleans grain calls a second in process, and bytes per idle activation)
               Benchmarks transfers [--duration 20] [--only grains,wallet,writer,rowlock,http,http-plain,orleans-tx] [--scenarios hot-wallet,uniform,hot-sender] [--concurrency 1] [--out results.json]
               Benchmarks cluster   [--duration 10] [--only calls,transfers] [--rounds 1] [--concurrency 1] [--out results.json]   (remote vs local Orleans grain calls between two silos in process; transfers through a front end with 1 and 3 silos, alternating for each round; each --concurrency factor multiplies the workers (64 hot-wallet, 256 uniform) and the 3-silo/1-silo ratio compares peaks)
               Benchmarks feed      [--transfers 1000] [--out results.json]   (fan-out of a user with 1,000 friends: feed items written per second)
               Benchmarks notifications [--duration 20] [--rate 1000] [--out results.json]   (payment_received latency over WebSockets at a paced transfer rate)
               Benchmarks payments  [--duration 20] [--only grains,payment-grain,rowlock,rowlock-ledger] [--rounds 1] [--out results.json]   (card payments authorized then captured on one hot merchant, 64 workers, against two row-locking baselines: rowlock writes only the merchant's row, the payment and two ledger rows, rowlock-ledger makes the platform's own writes on copies of its tables; payment-grain skips the idempotency grain, to show its cost; rounds alternate the paths and report ratios to the baseline)
               Benchmarks dashboard [--payments 1000000] [--requests 200] [--out results.json]   (listing pages and 90-day summaries over HTTP on one merchant with that many payments, against OFFSET paging and aggregating the payment rows)
               Benchmarks webhooks  [--duration 20] [--rate 2000] [--out results.json]   (webhook deliveries a second to a local receiver at a paced rate, commit-to-arrival latency, against a SKIP LOCKED queue table)
               Benchmarks cards     [--duration 20] [--only provision,card-payment,in-app,wallet-payment] [--out results.json]   (card provisioning and in-app payments a second through the API, 64 workers, against card and wallet payments)
               Benchmarks commerce  [--duration 20] [--only rowlock-hot,plain-grain-hot,tx-hot,orders-hot,orders-many] [--out results.json]   (stock reservations on one hot product: row lock, plain grain, Orleans transaction; whole orders on it and across 1,000 products; 64 workers)
        """);
    return 2;
}

var scenario = args[0];
var duration = TimeSpan.FromSeconds(double.Parse(Option("--duration") ?? "10", CultureInfo.InvariantCulture));
var output = Option("--out");
var report = new BenchmarkReport();

switch (scenario)
{
    case "runtime":
        await RuntimeBenchmark.RunAsync(report, duration, int.Parse(Option("--activations") ?? "100000", CultureInfo.InvariantCulture));
        break;
    case "transfers":
        await TransfersBenchmark.RunAsync(report, duration,
            (Option("--only") ?? "grains,rowlock,http,orleans-tx").Split(','),
            (Option("--scenarios") ?? "hot-wallet,uniform,hot-sender").Split(','),
            ConcurrencyFactors());
        break;
    case "cluster":
        var parts = (Option("--only") ?? "calls,transfers").Split(',');
        if (parts.Contains("calls"))
        {
            await RemoteCallBenchmark.RunAsync(report, TimeSpan.FromSeconds(Math.Min(duration.TotalSeconds, 5)));
        }

        if (parts.Contains("transfers"))
        {
            await ClusterTransfersBenchmark.RunAsync(report, duration, int.Parse(Option("--rounds") ?? "1", CultureInfo.InvariantCulture), ConcurrencyFactors());
        }

        break;
    case "feed":
        await FeedBenchmark.RunAsync(report, int.Parse(Option("--transfers") ?? "1000", CultureInfo.InvariantCulture));
        break;
    case "notifications":
        await NotificationsBenchmark.RunAsync(report, duration, int.Parse(Option("--rate") ?? "1000", CultureInfo.InvariantCulture));
        break;
    case "payments":
        await MerchantPaymentsBenchmark.RunAsync(report, duration, (Option("--only") ?? "grains,rowlock,rowlock-ledger").Split(','), int.Parse(Option("--rounds") ?? "1", CultureInfo.InvariantCulture));
        break;
    case "dashboard":
        await DashboardBenchmark.RunAsync(report, int.Parse(Option("--payments") ?? "1000000", CultureInfo.InvariantCulture), int.Parse(Option("--requests") ?? "200", CultureInfo.InvariantCulture));
        break;
    case "webhooks":
        await WebhooksBenchmark.RunAsync(report, duration, int.Parse(Option("--rate") ?? "2000", CultureInfo.InvariantCulture));
        break;
    case "cards":
        await CardWalletBenchmark.RunAsync(report, duration, (Option("--only") ?? "provision,card-payment,in-app,wallet-payment").Split(','));
        break;
    case "commerce":
        await CommerceBenchmark.RunAsync(report, duration, (Option("--only") ?? "rowlock-hot,plain-grain-hot,tx-hot,orders-hot,orders-many").Split(','));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{scenario}'. Known: runtime, transfers, cluster, feed, notifications, payments, dashboard, webhooks, cards, commerce.");
        return 2;
}

report.PrintTable();
if (output is not null)
{
    await report.WriteAsync(output);
}

return 0;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

// Each factor multiplies every scenario's workers (see TransferScenario.Scaled); 1 runs the scenarios as defined.
int[] ConcurrencyFactors() => (Option("--concurrency") ?? "1").Split(',').Select(factor => int.Parse(factor, CultureInfo.InvariantCulture)).ToArray();
