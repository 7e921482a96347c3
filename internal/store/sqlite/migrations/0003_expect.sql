-- Nothing: PostgreSQL's 0003 creates payhost_expect, for the writes its
-- store sends with a later statement. SQLite runs every write at once and
-- needs no such thing; this file keeps the two migration lists in step.
SELECT 1;
