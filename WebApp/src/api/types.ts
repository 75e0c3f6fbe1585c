// The shapes the app reads, as docs/openapi.json declares them (amounts are integer minor units).

export interface UserProfile { id: string; username: string; displayName: string }
export interface Wallet { balance: number; available: number; held: number; currency: string; status: string }
export interface HistoryEntry { id: string; type: string; amount: number; balanceAfter: number; counterparty?: string | null; createdAt: string; payment?: string | null; order?: string | null }
export interface TransferReceipt { transfer: { id: string; amount: number; currency: string }; balance: number }
export interface PaymentRequest { id: string; requester: string; requestee: string; amount: number; currency: string; note: string; status: string; createdAt: string }
export interface FeedItem {
  transferId: string; from: UserProfile; to: UserProfile; amount?: number | null; currency?: string | null; note: string;
  visibility: string; createdAt: string; likeCount: number; commentCount: number; likedByMe: boolean;
}
export interface FeedComment { id: string; author: UserProfile; text: string; createdAt: string }
export interface Friend { id: string; username: string; displayName: string; since: string }
export interface FriendRequest { id: string; from: UserProfile; to: UserProfile; status: string; createdAt: string }
export interface Notification { id: string; type: string; data: Record<string, unknown>; createdAt: string }
export interface Device { id: string; name: string; platform: string; status: string; createdAt: string }
export interface Card {
  id: string; deviceId: string; network: string; last4: string; expMonth: number; expYear: number; cardholderName: string;
  kind: string; status: string; statusReason?: string | null; isDefault: boolean;
}
export interface VerificationRequired { cardId: string; status: string; methods: string[]; card: Card }
export interface FundingSource { id: string; type: string; description: string; isDefault: boolean }
export interface Product {
  id: string; merchant: string; name: string; description: string; price: number; currency: string; active: boolean;
  unitsAvailable: number; createdAt: string;
}
export interface SagaStep { step: string; outcome: string; detail?: string | null; at: string }
export interface Order {
  id: string; merchant: string; buyer: string; status: string; lines: { product: string; name: string; unitPrice: number; quantity: number; amount: number }[];
  amount: number; currency: string; paymentMethod: { type: string; card?: string | null }; licenseKey?: string | null;
  failure?: { code: string; message: string; step: string } | null; saga: SagaStep[]; createdAt: string;
  payment?: string | null; transactions?: OrderTransaction[] | null;
}
export interface OrderTransaction { id: string; type: string; amount: number; currency: string; createdAt: string }
export interface Merchant { id: string; name: string; country: string; defaultCurrency: string; createdAt: string }
export interface Payment {
  id: string; status: string; amount: number; amountCapturable: number; amountCaptured: number; amountRefunded: number; fee: number;
  currency: string; captureMethod: string; paymentMethod: { type: string; brand?: string; last4?: string; user?: string };
  description?: string | null; customerReference?: string | null; fraud: { score: number; outcome: string; reasons: string[] };
  declineCode?: string | null; refunds: { id: string; amount: number; reason?: string | null; createdAt: string }[]; createdAt: string;
}
export interface PaymentEvent { sequence: number; type: string; actor: string; amount?: number | null; createdAt: string }
export interface AnalyticsInterval {
  start: string; currency: string; payments: number; succeeded: number; declined: number; refunds: number; volume: number;
  refundedAmount: number; refundRate: number; declineRate: number;
}
export interface BalanceAmount { amount: number; currency: string }
export interface Payout { id: string; amount: number; currency: string; status: string; createdAt: string; paidAt?: string | null }
export interface ApiKey { id: string; prefix: string; createdAt: string; expiresAt?: string | null; revokedAt?: string | null }
export interface WebhookEndpoint { id: string; url: string; description?: string | null; enabledEvents: string[]; status: string; createdAt: string }
export interface WebhookDelivery {
  id: string; eventId: string; eventType: string; status: string; createdAt: string;
  attempts: { attempt: number; statusCode?: number | null; latencyMs: number; error?: string | null; attemptedAt: string }[];
}
