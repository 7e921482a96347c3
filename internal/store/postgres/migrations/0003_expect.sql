-- payhost_expect(got, want) returns got, or fails the statement (and so
-- its transaction) with serialization_failure when got is not want. The
-- store sends some writes with the next statement or with COMMIT, in one
-- round trip (pipeline.go): an update that must change exactly one row is
-- then sent as
--
--	WITH w AS (UPDATE … RETURNING 1) SELECT payhost_expect(count(*), 1) FROM w
--
-- so that when it changes none, the server skips what follows it, COMMIT
-- included. SQLite runs every write at once, and needs no such thing.

CREATE FUNCTION payhost_expect(got bigint, want bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
	IF got <> want THEN
		RAISE EXCEPTION 'payhost: the write changed % rows, not %', got, want
			USING ERRCODE = 'serialization_failure';
	END IF;
	RETURN got;
END
$$;
