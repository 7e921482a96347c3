package sqlstore

import "context"

const recordCallback = `INSERT INTO callback_receipts (provider_instance, event_id, received_at)
VALUES ($1, $2, $3) ON CONFLICT (provider_instance, event_id) DO NOTHING`

// RecordCallback implements store.Callbacks. The primary key decides: on
// PostgreSQL a second transaction recording the same event waits for the
// first, and finds it new only if the first rolled back.
func (t *tx) RecordCallback(ctx context.Context, instance, eventID string) (bool, error) {
	created, err := t.execOne(ctx, recordCallback, instance, eventID, t.now())
	return created, t.fail(err, "record callback %s of %s", eventID, instance)
}
