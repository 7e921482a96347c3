-- payhost's first schema, SQLite dialect. Times are INTEGER microseconds
-- since the Unix epoch in columns declared TIMESTAMP (the driver converts);
-- JSON is TEXT. Keep in step with ../../postgres/migrations/0001_init.sql.

CREATE TABLE payments (
	id                 TEXT PRIMARY KEY,
	merchant_id        TEXT NOT NULL,
	amount             INTEGER NOT NULL,
	currency           TEXT NOT NULL,
	method             TEXT NOT NULL,
	capture_mode       TEXT NOT NULL,
	status             TEXT NOT NULL,
	reference          TEXT NOT NULL,
	description        TEXT NOT NULL,
	return_url         TEXT NOT NULL,
	customer           TEXT,
	card_first6        TEXT NOT NULL,
	card_last4         TEXT NOT NULL,
	card_exp_month     INTEGER NOT NULL,
	card_exp_year      INTEGER NOT NULL,
	card_brand         TEXT NOT NULL,
	token_id           TEXT NOT NULL,
	provider_instance  TEXT NOT NULL,
	provider_reference TEXT NOT NULL,
	route              TEXT NOT NULL,
	next_action        TEXT,
	amount_authorized  INTEGER NOT NULL,
	amount_captured    INTEGER NOT NULL,
	amount_refunded    INTEGER NOT NULL,
	failure_code       TEXT NOT NULL,
	failure_message    TEXT NOT NULL,
	metadata           TEXT,
	next_sync_at       TIMESTAMP,
	sync_attempts      INTEGER NOT NULL,
	version            INTEGER NOT NULL,
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL,
	CONSTRAINT payments_amounts_not_negative
		CHECK (amount >= 0 AND amount_authorized >= 0 AND amount_captured >= 0 AND amount_refunded >= 0),
	CONSTRAINT payments_captured_within_authorized CHECK (amount_captured <= amount_authorized),
	CONSTRAINT payments_refunded_within_captured CHECK (amount_refunded <= amount_captured)
);
CREATE INDEX payments_merchant ON payments (merchant_id, created_at);
CREATE INDEX payments_provider_reference ON payments (provider_instance, provider_reference)
	WHERE provider_reference <> '';
CREATE INDEX payments_sync_due ON payments (next_sync_at)
	WHERE status IN ('processing', 'unknown') AND next_sync_at IS NOT NULL;

CREATE TABLE attempts (
	id                 TEXT PRIMARY KEY,
	payment_id         TEXT NOT NULL REFERENCES payments (id),
	refund_id          TEXT NOT NULL,
	provider_instance  TEXT NOT NULL,
	operation          TEXT NOT NULL,
	status             TEXT NOT NULL,
	amount             INTEGER NOT NULL CHECK (amount >= 0),
	error_kind         TEXT NOT NULL,
	error_code         TEXT NOT NULL,
	error_message      TEXT NOT NULL,
	provider_reference TEXT NOT NULL,
	started_at         TIMESTAMP NOT NULL,
	finished_at        TIMESTAMP
);
CREATE INDEX attempts_payment ON attempts (payment_id, started_at);

CREATE TABLE refunds (
	id                        TEXT PRIMARY KEY,
	payment_id                TEXT NOT NULL REFERENCES payments (id),
	amount                    INTEGER NOT NULL CHECK (amount > 0),
	currency                  TEXT NOT NULL,
	status                    TEXT NOT NULL,
	reason                    TEXT NOT NULL,
	provider_refund_reference TEXT NOT NULL,
	failure_code              TEXT NOT NULL,
	failure_message           TEXT NOT NULL,
	created_at                TIMESTAMP NOT NULL,
	updated_at                TIMESTAMP NOT NULL
);
CREATE INDEX refunds_payment ON refunds (payment_id, created_at);

CREATE TABLE tokens (
	id                 TEXT PRIMARY KEY,
	merchant_id        TEXT NOT NULL,
	provider_instance  TEXT NOT NULL,
	status             TEXT NOT NULL,
	provider_token     TEXT NOT NULL,
	customer_ref       TEXT NOT NULL,
	provider_reference TEXT NOT NULL,
	card_first6        TEXT NOT NULL,
	card_last4         TEXT NOT NULL,
	card_exp_month     INTEGER NOT NULL,
	card_exp_year      INTEGER NOT NULL,
	card_brand         TEXT NOT NULL,
	next_action        TEXT,
	customer           TEXT,
	failure_code       TEXT NOT NULL,
	failure_message    TEXT NOT NULL,
	version            INTEGER NOT NULL,
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);

CREATE TABLE idempotency_keys (
	merchant_id      TEXT NOT NULL,
	idem_key         TEXT NOT NULL,
	fingerprint      TEXT NOT NULL,
	state            TEXT NOT NULL,
	lease            TEXT NOT NULL,
	lease_expires_at TIMESTAMP,
	response_status  INTEGER NOT NULL,
	response_header  TEXT,
	response_body    BLOB,
	created_at       TIMESTAMP NOT NULL,
	expires_at       TIMESTAMP NOT NULL,
	PRIMARY KEY (merchant_id, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

CREATE TABLE callback_receipts (
	provider_instance TEXT NOT NULL,
	event_id          TEXT NOT NULL,
	received_at       TIMESTAMP NOT NULL,
	PRIMARY KEY (provider_instance, event_id)
);

CREATE TABLE events (
	id               TEXT PRIMARY KEY,
	merchant_id      TEXT NOT NULL,
	type             TEXT NOT NULL,
	payload          TEXT NOT NULL,
	created_at       TIMESTAMP NOT NULL,
	next_attempt_at  TIMESTAMP NOT NULL,
	attempts         INTEGER NOT NULL,
	delivered_at     TIMESTAMP,
	failed_at        TIMESTAMP,
	lease_owner      TEXT NOT NULL,
	lease_expires_at TIMESTAMP
);
CREATE INDEX events_merchant ON events (merchant_id, created_at);
CREATE INDEX events_due ON events (next_attempt_at)
	WHERE delivered_at IS NULL AND failed_at IS NULL;

CREATE TABLE event_deliveries (
	event_id     TEXT NOT NULL REFERENCES events (id),
	attempt      INTEGER NOT NULL,
	attempted_at TIMESTAMP NOT NULL,
	http_status  INTEGER NOT NULL,
	error        TEXT NOT NULL,
	duration_us  INTEGER NOT NULL,
	PRIMARY KEY (event_id, attempt)
);
