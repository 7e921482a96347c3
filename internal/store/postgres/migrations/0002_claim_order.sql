-- The claims of the outbox and of the reconciler take the oldest due rows
-- first (ORDER BY next_attempt_at, id / next_sync_at, id ... LIMIT n). With
-- the id in the index, the scan stops after n rows; without it, every claim
-- read (and sorted) every row the index ever held, dead versions included,
-- until vacuum: the outbox's claim cost grew with the table. Keep in step
-- with ../../sqlite/migrations/0002_claim_order.sql.

DROP INDEX events_due;
CREATE INDEX events_due ON events (next_attempt_at, id)
	WHERE delivered_at IS NULL AND failed_at IS NULL;

DROP INDEX payments_sync_due;
CREATE INDEX payments_sync_due ON payments (next_sync_at, id)
	WHERE status IN ('processing', 'unknown') AND next_sync_at IS NOT NULL;
