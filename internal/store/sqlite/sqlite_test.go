package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/sqlite"
	"github.com/payhost/payhost/internal/store/storetest"
)

// newDB makes an empty database file in the test's temporary directory.
func newDB(tb testing.TB) storetest.Opener {
	path := filepath.Join(tb.TempDir(), "payhost.db")
	return func(tb testing.TB, opts store.Options) (store.Store, error) {
		st, err := sqlite.Open(tb.Context(), path, opts)
		if err == nil {
			tb.Cleanup(func() { _ = st.Close() })
		}
		return st, err
	}
}

func TestStore(t *testing.T) {
	storetest.Run(t, newDB)
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, newDB)
}

func TestSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "payhost.db")
	st, err := sqlite.Open(t.Context(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })

	var mode string
	if err := raw.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	storetest.Constraints(t, st, raw)
}

func TestOpenRefusesAmbiguousPaths(t *testing.T) {
	for _, path := range []string{"", "payhost.db?mode=ro", "pay#host.db"} {
		if st, err := sqlite.Open(t.Context(), path, store.Options{}); err == nil {
			_ = st.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}
