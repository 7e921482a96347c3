package host_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
)

// PostgreSQL: the tests that need it run on a fresh schema of the server
// PAYHOST_TEST_POSTGRES_DSN names.
const (
	postgresEnv        = "PAYHOST_TEST_POSTGRES_DSN"
	requirePostgresEnv = "PAYHOST_REQUIRE_POSTGRES"
)

// postgresDSN returns a DSN for a new, empty schema, dropped when the
// test ends; it skips the test without a server (fails it when
// PAYHOST_REQUIRE_POSTGRES=1).
func postgresDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		if os.Getenv(requirePostgresEnv) == "1" {
			t.Fatalf("%s=1 but %s is not set", requirePostgresEnv, postgresEnv)
		}
		t.Skipf("%s is not set: skipping the PostgreSQL test (scripts/postgres.sh starts a local server)", postgresEnv)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "payhost_host_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn + " search_path=" + schema
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
