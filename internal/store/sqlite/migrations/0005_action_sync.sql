-- A payment waiting for its customer (requires_action) is asked about too,
-- once its next action expires or it waited long enough: the reconciler
-- claims it like a processing one (ClaimSyncDue), so its index takes the
-- status in. Payments already waiting when this migration runs are due 24
-- hours (in microseconds) after they were created (the host's default).
-- Keep in step with ../../postgres/migrations/0005_action_sync.sql.

UPDATE payments SET next_sync_at = created_at + 86400000000
	WHERE status = 'requires_action' AND next_sync_at IS NULL;
DROP INDEX payments_sync_due;
CREATE INDEX payments_sync_due ON payments (next_sync_at, id)
	WHERE status IN ('processing', 'unknown', 'requires_action') AND next_sync_at IS NOT NULL;
