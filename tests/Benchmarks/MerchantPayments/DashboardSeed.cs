using System.Text.Json;
using Npgsql;
using Payments.Grains.Interfaces;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.MerchantPayments;

namespace Payments.Benchmarks.MerchantPayments;

/// <summary>
/// A merchant's history written straight into the tables the dashboard reads: its payments' rows (as their grains
/// write them) spread evenly over the last <c>days</c>, and the hourly analytics buckets the payment stream's consumer
/// would have made of them. How fast payments are taken is the payments benchmark's subject, not this one's.
/// </summary>
internal static class DashboardSeed
{
    /// <summary>92% succeeded, 5% failed (declined), 3% canceled; one customer in 20 has a reference; amounts 5.00 to 204.99.</summary>
    public static async Task SeedAsync(NpgsqlDataSource dataSource, string merchantId, int payments, int days)
    {
        var template = JsonSerializer.Serialize(
            new PaymentView(
                "pay_", merchantId, PaymentStatus.Succeeded, 0, 0, 0, 0, 0, "USD", CaptureMethods.Automatic,
                new PaymentMethodView("card", "visa", "4242", 12, 2030, "seeded", null), null, null, null,
                new FraudView(5, "allowed", []), null, "seeded", [], DateTimeOffset.UnixEpoch, null, null, null, null),
            PaymentsJson.Options);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var seed = new NpgsqlCommand(
            """
            INSERT INTO merchant_payments (id, merchant_id, status, amount, currency, customer_reference, description, view, version, created_at, updated_at)
            SELECT p.id, $1, p.status, p.amount, 'USD', p.customer_reference, p.description,
                   $4::jsonb || jsonb_build_object('id', p.id, 'status', p.status, 'amount', p.amount,
                       'amountCaptured', CASE WHEN p.status = 'succeeded' THEN p.amount ELSE 0 END,
                       'description', p.description, 'customerReference', p.customer_reference, 'createdAt', p.created_at),
                   1, p.created_at, p.created_at
            FROM (
                SELECT 'pay_' || lpad(to_hex((extract(epoch FROM t.at) * 1000)::bigint), 12, '0') || '7' || substr(md5(t.i::text), 1, 19) AS id,
                       CASE WHEN t.i % 100 < 92 THEN 'succeeded' WHEN t.i % 100 < 97 THEN 'failed' ELSE 'canceled' END AS status,
                       500 + (t.i::bigint * 7919) % 20000 AS amount,
                       CASE WHEN t.i % 20 = 0 THEN 'cust_' || (t.i % 50000) END AS customer_reference,
                       'Order ' || t.i AS description,
                       t.at AS created_at
                FROM (SELECT i, date_trunc('milliseconds', now() - make_interval(days => $3) + (i * (make_interval(days => $3) / $2))) AS at FROM generate_series(1, $2) AS i) AS t
            ) AS p
            """, connection))
        {
            seed.CommandTimeout = 0;
            seed.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
            seed.Parameters.Add(new NpgsqlParameter<int> { TypedValue = payments });
            seed.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days });
            seed.Parameters.Add(new NpgsqlParameter<string> { TypedValue = template });
            await seed.ExecuteNonQueryAsync();
        }

        await using (var buckets = new NpgsqlCommand(
            """
            INSERT INTO merchant_payment_hours (merchant_id, currency, hour, payments, succeeded, declined, volume)
            SELECT merchant_id, currency, date_trunc('hour', created_at), count(*), count(*) FILTER (WHERE status = 'succeeded'),
                   count(*) FILTER (WHERE status = 'failed'), coalesce(sum(amount) FILTER (WHERE status = 'succeeded'), 0)
            FROM merchant_payments WHERE merchant_id = $1 GROUP BY 1, 2, 3
            """, connection))
        {
            buckets.CommandTimeout = 0;
            buckets.Parameters.Add(new NpgsqlParameter<string> { TypedValue = merchantId });
            await buckets.ExecuteNonQueryAsync();
        }

        // As after autovacuum's analyze: the planner sees the seeded rows.
        await using var analyze = new NpgsqlCommand("ANALYZE merchant_payments; ANALYZE merchant_payment_hours", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync();
    }
}
