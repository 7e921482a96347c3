package routing

import "testing"

// TestBucketKnownAnswers pins the split hash (the answers were computed
// independently, in Python): changing it would move live payments between
// providers.
func TestBucketKnownAnswers(t *testing.T) {
	tests := []struct {
		id    string
		total int64
		want  int64
	}{
		{"", 100, 3},
		{"pay_000001", 100, 25},
		{"pay_000002", 100, 70},
		{"pay_01J9Z8Q4W3", 1000000, 883461},
		{"pay_000001", 1, 0},
	}
	for _, tt := range tests {
		if got := bucket(tt.id, tt.total); got != tt.want {
			t.Errorf("bucket(%q, %d) = %d, want %d", tt.id, tt.total, got, tt.want)
		}
	}
}

func TestShare(t *testing.T) {
	for _, tt := range []struct {
		w, total int64
		want     string
	}{{70, 100, "70.0%"}, {1, 3, "33.3%"}, {2, 3, "66.7%"}, {1, 1000000, "0.0%"}, {5, 5, "100.0%"}} {
		if got := share(tt.w, tt.total); got != tt.want {
			t.Errorf("share(%d, %d) = %s, want %s", tt.w, tt.total, got, tt.want)
		}
	}
}
