package postgres_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/postgres"
	"github.com/payhost/payhost/internal/store/postgres/pgtest"
	"github.com/payhost/payhost/internal/store/storetest"
)

// newDB makes an empty schema on the test server.
func newDB(tb testing.TB) storetest.Opener {
	dsn := pgtest.DSN(tb)
	return func(tb testing.TB, opts store.Options) (store.Store, error) {
		st, err := postgres.Open(tb.Context(), dsn, opts)
		if err == nil {
			tb.Cleanup(func() { _ = st.Close() })
		}
		return st, err
	}
}

func TestStore(t *testing.T) {
	pgtest.ServerDSN(t)
	storetest.Run(t, newDB)
}

func BenchmarkStore(b *testing.B) {
	pgtest.ServerDSN(b)
	storetest.Benchmark(b, newDB)
}

func TestSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
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
