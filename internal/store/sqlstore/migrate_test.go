package sqlstore

import (
	"testing"
	"testing/fstest"
)

func TestReadMigrations(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []migration
		wantErr bool
	}{
		{"in version order", fstest.MapFS{
			"0002_refunds.sql": file("B"), "0010_later.sql": file("C"), "0001_init.sql": file("A"), "README": file("x"),
		}, []migration{{1, "init", "A"}, {2, "refunds", "B"}, {10, "later", "C"}}, false},
		{"none", fstest.MapFS{}, nil, false},
		{"no version", fstest.MapFS{"init.sql": file("A")}, nil, true},
		{"version zero", fstest.MapFS{"0000_init.sql": file("A")}, nil, true},
		{"same version twice", fstest.MapFS{"0001_a.sql": file("A"), "01_b.sql": file("B")}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMigrations(tt.files)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %t", err, tt.wantErr)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("migration %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestColumns(t *testing.T) {
	cs := columns{"id", "status", "version"}
	tests := []struct{ got, want string }{
		{cs.insert("payments"), "INSERT INTO payments (id, status, version) VALUES ($1, $2, $3)"},
		{cs[1:].set(2), "status = $2, version = $3"},
		{cs.concat(columns{"created_at"}).list(), "id, status, version, created_at"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
