-- payments_merchant served no query (payhost lists no payments by
-- merchant), and every payment paid for it on insert. A listing endpoint
-- that needs it brings it back.
-- Keep in step with ../../sqlite/migrations/0006_lean_writes.sql.

DROP INDEX payments_merchant;

-- Finishing an attempt changes none of its indexed columns: with room
-- left on the page (new pages are filled to 85%), PostgreSQL writes the
-- new row version there without an entry in any index (a HOT update).
ALTER TABLE attempts SET (fillfactor = 85);
