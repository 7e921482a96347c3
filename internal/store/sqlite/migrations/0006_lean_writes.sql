-- payments_merchant served no query (payhost lists no payments by
-- merchant), and every payment paid for it on insert. A listing endpoint
-- that needs it brings it back.
-- Keep in step with ../../postgres/migrations/0006_lean_writes.sql.

DROP INDEX payments_merchant;
