package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/postgres"
	"github.com/payhost/payhost/internal/store/storetest"
)

// The environment that points the tests at a server.
const (
	dsnEnv     = "PAYHOST_TEST_POSTGRES_DSN"
	requireEnv = "PAYHOST_REQUIRE_POSTGRES"
)

// serverDSN returns the test server's DSN, or skips the test when there is
// none (fails it when CI requires PostgreSQL).
func serverDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		if os.Getenv(requireEnv) == "1" {
			tb.Fatalf("%s=1 but %s is not set", requireEnv, dsnEnv)
		}
		tb.Skipf("%s is not set: skipping the PostgreSQL store tests (scripts/postgres.sh starts a local server)", dsnEnv)
	}
	return dsn
}

// newSchema creates an empty schema for one test, dropped when it ends,
// and returns a DSN whose search_path is that schema.
func newSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "payhost_test_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(tb.Context(), "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		_ = admin.Close()
	})
	return withSearchPath(dsn, schema)
}

// withSearchPath adds search_path=schema to a URL or key=value DSN.
func withSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}

// newDB makes an empty schema on the test server.
func newDB(tb testing.TB) storetest.Opener {
	dsn := newSchema(tb, serverDSN(tb))
	return func(tb testing.TB, opts store.Options) (store.Store, error) {
		st, err := postgres.Open(tb.Context(), dsn, opts)
		if err == nil {
			tb.Cleanup(func() { _ = st.Close() })
		}
		return st, err
	}
}

func TestStore(t *testing.T) {
	serverDSN(t)
	storetest.Run(t, newDB)
}

func BenchmarkStore(b *testing.B) {
	serverDSN(b)
	storetest.Benchmark(b, newDB)
}

func TestSchema(t *testing.T) {
	dsn := newSchema(t, serverDSN(t))
	st, err := postgres.Open(t.Context(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	storetest.Constraints(t, st, raw)
}

func TestOpenHidesThePassword(t *testing.T) {
	const password = "s3cret-pa55"
	for _, dsn := range []string{
		"postgres://payhost:" + password + "@127.0.0.1:1/payhost?connect_timeout=1",
		"host=127.0.0.1 port=1 user=payhost password=" + password + " sslmode=bogus",
	} {
		st, err := postgres.Open(t.Context(), dsn, store.Options{})
		if err == nil {
			_ = st.Close()
			t.Fatalf("Open(%q) succeeded", dsn)
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("Open's error shows the password: %v", err)
		}
	}
}
