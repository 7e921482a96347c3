-- A token keeps the merchant's metadata from its creation request, as a
-- payment does: JSON (TEXT here), NULL when there is none. Tokens stored
-- before this migration have none.
-- Keep in step with ../../postgres/migrations/0007_token_metadata.sql.

ALTER TABLE tokens ADD COLUMN metadata TEXT;
