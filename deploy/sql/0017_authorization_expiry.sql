-- Authorization expiry (issue 19) is swept per merchant by one Orleans reminder, not one reminder per payment: the
-- sweep finds a merchant's authorizations past their expiry through this index of the uncaptured ones.
ALTER TABLE merchant_payments ADD COLUMN authorization_expires_at timestamptz;
CREATE INDEX merchant_payments_authorized ON merchant_payments (merchant_id, authorization_expires_at) WHERE status = 'requires_capture';
