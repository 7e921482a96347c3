package pgtest

import (
	"database/sql"
	"strings"
	"testing"
)

func TestWithSearchPath(t *testing.T) {
	for _, tt := range []struct{ dsn, want string }{
		{"postgres:///payhost_test?host=/var/run/postgresql", "postgres:///payhost_test?host=%2Fvar%2Frun%2Fpostgresql&search_path=s1"},
		{"postgresql://u@db:5432/p?search_path=old", "postgresql://u@db:5432/p?search_path=s1"},
		{"host=/var/run/postgresql dbname=payhost_test", "host=/var/run/postgresql dbname=payhost_test search_path=s1"},
	} {
		if got := WithSearchPath(tt.dsn, "s1"); got != tt.want {
			t.Errorf("WithSearchPath(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}

// TestDSN: a schema of the test's own, empty, current on its DSN's
// connections.
func TestDSN(t *testing.T) {
	db, err := sql.Open("pgx", DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var schema string
	var tables int
	err = db.QueryRowContext(t.Context(), `SELECT current_schema(),
		(SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema())`).Scan(&schema, &tables)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(schema, "payhost_test_") || tables != 0 {
		t.Errorf("current schema %q with %d tables, want a new payhost_test_ schema, empty", schema, tables)
	}
}
