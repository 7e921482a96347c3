// Package pgtest gives a test a PostgreSQL schema of its own on the test
// server that PAYHOST_TEST_POSTGRES_DSN names (scripts/postgres.sh starts
// a local one):
//
//	dsn := pgtest.DSN(t) // a fresh, empty schema, dropped when t ends
//	st, err := postgres.Open(ctx, dsn, store.Options{})
//
// Without a server the test is skipped, saying why; with
// PAYHOST_REQUIRE_POSTGRES=1 (CI) it fails instead, so that the
// PostgreSQL tests are never skipped unnoticed.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// The environment that points the tests at a server.
const (
	// DSNEnv names the test server: a URL or key=value DSN.
	DSNEnv = "PAYHOST_TEST_POSTGRES_DSN"
	// RequireEnv, set to 1, fails the tests that need the server when
	// DSNEnv is not set, rather than skipping them.
	RequireEnv = "PAYHOST_REQUIRE_POSTGRES"
)

// ServerDSN returns the test server's DSN, or skips tb with the reason
// when there is none (fails it under PAYHOST_REQUIRE_POSTGRES=1).
func ServerDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(DSNEnv)
	if dsn == "" {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("%s=1 but %s is not set", RequireEnv, DSNEnv)
		}
		tb.Skipf("%s is not set: skipping this PostgreSQL test (scripts/postgres.sh starts a local server)", DSNEnv)
	}
	return dsn
}

// DSN creates a new, empty schema on the test server, dropped with
// everything in it when tb ends, and returns a DSN whose search_path is
// that schema. It skips or fails tb like ServerDSN.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := ServerDSN(tb)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "payhost_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	return WithSearchPath(dsn, schema)
}

// WithSearchPath adds search_path=schema to a URL or key=value DSN.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		if u, err := url.Parse(dsn); err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}
