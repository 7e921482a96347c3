-- Pending refunds are asked about on a schedule kept in the store, as
-- payments are, so that it survives a restart: next_sync_at is when the
-- reconciler next asks the provider (ClaimRefundsDue), sync_attempts how
-- often it did. A refund pending when this migration runs is due at once.
-- Keep in step with ../../postgres/migrations/0004_refund_sync.sql.

ALTER TABLE refunds ADD COLUMN next_sync_at TIMESTAMP;
ALTER TABLE refunds ADD COLUMN sync_attempts INTEGER NOT NULL DEFAULT 0;
UPDATE refunds SET next_sync_at = updated_at WHERE status = 'pending';
CREATE INDEX refunds_sync_due ON refunds (next_sync_at, id)
	WHERE status = 'pending' AND next_sync_at IS NOT NULL;
