-- Notifications older than the inbox retention are deleted by the silos (NotificationInboxJanitor). Rows arrive in
-- roughly created_at order, so a BRIN index finds the old ones without a scan and costs almost nothing to keep.
CREATE INDEX notifications_created_at ON notifications USING brin (created_at);
