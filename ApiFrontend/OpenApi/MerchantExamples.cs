using Payments.ApiFrontend.Requests;
using Payments.Grains.Interfaces.Analytics;
using Payments.Grains.Interfaces.Fraud;
using Payments.Grains.Interfaces.MerchantPayments;
using Payments.Grains.Interfaces.Merchants;

namespace Payments.ApiFrontend.OpenApi;

/// <summary>The merchant side's examples (merchants, keys, payments, refunds, balance), added to <see cref="ApiExamples.All"/>.</summary>
internal static class MerchantExamples
{
    private const string Merchant = "mer_0193a4f80c2e7d4b9a1f3c5e7d9b1a2c";
    private const string Payment = "pay_0193a4f91b3c7e5d8f2a4b6c8d0e2f4a";
    private const string Declined = "pay_0193a4f9a0b17c2d9e3f5a7b9c1d3e5f";
    private const string Key = "key_0193a4f8d4e57a6b8c9d0e1f2a3b4c5d";
    private const string Fingerprint = "5f0c2b8e9a41d7c3e6b2f8a0d4c9e1b7a3f5d8c2e0b6a9f4c1d7e3b8a2f6c0d9";

    public static void AddTo(Dictionary<Type, string> examples, Func<string, string> page)
    {
        examples[typeof(CreateMerchantRequest)] = """{"name":"Alice's Bakery","country":"US","defaultCurrency":"USD"}""";
        examples[typeof(RollApiKeyRequest)] = """{"expiresInSeconds":86400}""";
        examples[typeof(PaymentMethodRequest)] = """{"type":"card","number":"4242424242424242","expMonth":12,"expYear":2030,"cvc":"123"}""";
        examples[typeof(CustomerDetailsRequest)] = """{"ip":"203.0.113.24","country":"US"}""";
        examples[typeof(CreateMerchantPaymentRequest)] =
            $$$"""{"amount":2000,"currency":"USD","captureMethod":"manual","paymentMethod":{{{examples[typeof(PaymentMethodRequest)]}}},"description":"Sourdough loaf","metadata":{"order":"6735"},"customerReference":"cus_42","customer":{{{examples[typeof(CustomerDetailsRequest)]}}}}""";
        examples[typeof(FraudSettingsRequest)] = """{"reviewThreshold":40,"blockThreshold":80,"allowList":["customer:cus_42"],"blockList":["ip:198.51.100.7","country:KP"]}""";
        examples[typeof(FraudSettings)] = """{"reviewThreshold":40,"blockThreshold":80,"allowList":["customer:cus_42"],"blockList":["ip:198.51.100.7","country:KP"]}""";
        examples[typeof(FraudView)] = """{"score":35,"outcome":"allow","reasons":["velocity_card_minute"]}""";
        examples[typeof(CapturePaymentRequest)] = """{"amount":1500}""";
        examples[typeof(CreateRefundRequest)] = $$"""{"payment":"{{Payment}}","amount":500,"reason":"one loaf was stale"}""";

        examples[typeof(MerchantView)] = $$$"""{"id":"{{{Merchant}}}","name":"Alice's Bakery","country":"US","defaultCurrency":"USD","createdAt":"2026-12-03T18:20:05.125+00:00","fraud":{"reviewThreshold":50,"blockThreshold":75,"allowList":[],"blockList":[]}}""";
        examples[typeof(MerchantPage)] = page(examples[typeof(MerchantView)]);
        examples[typeof(CreatedApiKey)] = $$"""{"id":"{{Key}}","secret":"sk_test_Vq3kP0yXb2Lr8Wm5Ns7Td4Hg1Jf6Cz9Ae0Ku2Yo5Ri","prefix":"sk_test_Vq3kP0yX","createdAt":"2026-12-03T18:20:31.5+00:00"}""";
        examples[typeof(ApiKeyView)] = $$"""{"id":"{{Key}}","prefix":"sk_test_Vq3kP0yX","createdAt":"2026-12-03T18:20:31.5+00:00"}""";
        examples[typeof(ApiKeyPage)] = page(examples[typeof(ApiKeyView)]);
        examples[typeof(BalanceAmount)] = """{"amount":1427,"currency":"USD"}""";
        examples[typeof(MerchantBalance)] = """{"available":[{"amount":0,"currency":"USD"}],"pending":[{"amount":1427,"currency":"USD"}]}""";

        examples[typeof(PaymentMethodView)] = $$"""{"type":"card","brand":"visa","last4":"4242","expMonth":12,"expYear":2030,"fingerprint":"{{Fingerprint}}"}""";
        examples[typeof(RefundView)] = $$"""{"id":"re_0193a4fa2c4d7e6f8a0b1c2d3e4f5a6b","payment":"{{Payment}}","amount":500,"currency":"USD","reason":"one loaf was stale","createdAt":"2026-12-03T18:25:40.61+00:00"}""";
        examples[typeof(PaymentView)] =
            $$"""{"id":"{{Payment}}","merchantId":"{{Merchant}}","status":"succeeded","amount":2000,"amountCapturable":0,"amountCaptured":1500,"amountRefunded":500,"fee":74,"currency":"USD","captureMethod":"manual","paymentMethod":{{examples[typeof(PaymentMethodView)]}},"description":"Sourdough loaf","metadata":{"order":"6735"},"customerReference":"cus_42","fraud":{"score":0,"outcome":"allow","reasons":[]},"authorizationCode":"9F3A1C","refunds":[{{examples[typeof(RefundView)]}}],"createdAt":"2026-12-03T18:21:02.004+00:00","authorizationExpiresAt":"2026-12-10T18:21:02.004+00:00","capturedAt":"2026-12-03T18:23:17.9+00:00"}""";
        examples[typeof(PaymentPage)] = page(examples[typeof(PaymentView)]);
        examples[typeof(PaymentEventView)] = $$"""{"sequence":2,"type":"payment.captured","actor":"api_key:{{Key}}","amount":1500,"createdAt":"2026-12-03T18:23:17.9+00:00"}""";
        examples[typeof(PaymentEventPage)] = page(examples[typeof(PaymentEventView)]);
        examples[typeof(AnalyticsInterval)] =
            """{"start":"2026-12-03T00:00:00+00:00","currency":"USD","payments":5,"succeeded":3,"declined":1,"refunds":1,"volume":6000,"refundedAmount":500,"refundRate":0.3333,"declineRate":0.2,"averageTicket":2000}""";
        examples[typeof(AnalyticsSummary)] =
            $$"""{"from":"2026-11-03T00:00:00+00:00","to":"2026-12-04T00:00:00+00:00","interval":"day","timezone":"UTC","data":[{{examples[typeof(AnalyticsInterval)]}}]}""";
        examples[typeof(CardDeclinedBody)] =
            $$$"""{"code":"CARD_DECLINED","declineCode":"insufficient_funds","message":"The card has insufficient funds.","retryable":false,"payment":{"id":"{{{Declined}}}","merchantId":"{{{Merchant}}}","status":"failed","amount":2000,"amountCapturable":0,"amountCaptured":0,"amountRefunded":0,"fee":0,"currency":"USD","captureMethod":"automatic","paymentMethod":{"type":"card","brand":"visa","last4":"9995","expMonth":12,"expYear":2030,"fingerprint":"{{{Fingerprint}}}"},"fraud":{"score":0,"outcome":"allow","reasons":[]},"declineCode":"insufficient_funds","refunds":[],"createdAt":"2026-12-03T18:22:10.3+00:00"}}""";
    }
}
