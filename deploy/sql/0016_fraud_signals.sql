-- Fraud scores (issue 19). A payment keeps what its score was computed from, so later payments can count it:
-- the card's fingerprint (a keyed HMAC of its number, never the number), the paying user of a wallet payment, and
-- the customer's IP address and country as the merchant passed them. Velocity and card-testing rules count rows of
-- the last hour through these indexes.
ALTER TABLE merchant_payments
    ADD COLUMN card_fingerprint  text CHECK (card_fingerprint ~ '^[0-9a-f]{64}$'),
    ADD COLUMN payer_user_id     uuid,
    ADD COLUMN client_ip         text CHECK (length(client_ip) <= 45),
    ADD COLUMN customer_country  char(2) CHECK (customer_country ~ '^[A-Z]{2}$');
CREATE INDEX merchant_payments_card ON merchant_payments (card_fingerprint, created_at) WHERE card_fingerprint IS NOT NULL;
CREATE INDEX merchant_payments_payer ON merchant_payments (payer_user_id, created_at) WHERE payer_user_id IS NOT NULL;
CREATE INDEX merchant_payments_client_ip ON merchant_payments (client_ip, created_at) WHERE client_ip IS NOT NULL;

-- Each merchant's thresholds and allow/block lists; '{}' means the platform's defaults.
ALTER TABLE merchants ADD COLUMN fraud_settings jsonb NOT NULL DEFAULT '{}';
