package webhook

import (
	"testing"
	"time"
)

func TestBackoffNext(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	exact := DefaultBackoff
	exact.Jitter = 0
	tests := []struct {
		name     string
		attempts int
		now      time.Time
		want     time.Time
		giveUp   bool
	}{
		{"first failure", 1, created, created.Add(10 * time.Second), false},
		{"second failure", 2, created.Add(10 * time.Second), created.Add(40 * time.Second), false},
		{"sixth failure", 6, created.Add(time.Hour), created.Add(2 * time.Hour), false},
		{"the last delay repeats", 20, created.Add(24 * time.Hour), created.Add(27 * time.Hour), false},
		{"the last retry is at the horizon", 30, created.Add(71 * time.Hour), created.Add(72 * time.Hour), false},
		{"a failure at the horizon gives up", 31, created.Add(72 * time.Hour), time.Time{}, true},
		{"a failure past the horizon gives up", 31, created.Add(80 * time.Hour), time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := exact.next(tt.attempts, created, tt.now)
			if ok == tt.giveUp || !got.Equal(tt.want) {
				t.Errorf("next(%d, now=created+%s) = %s, %t; want %s, %t",
					tt.attempts, tt.now.Sub(created), got, ok, tt.want, !tt.giveUp)
			}
		})
	}
}

func TestBackoffJitter(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range 1000 {
		got, ok := DefaultBackoff.next(1, created, created)
		if d := got.Sub(created); !ok || d < 8*time.Second || d > 12*time.Second {
			t.Fatalf("draw %d: first retry after %s, %t; want 8–12 s", i, d, ok)
		}
	}
}

// TestDefaultBackoffKeepsTheContract checks that, however the jitter
// falls, the default schedule keeps trying for at least 24 hours.
func TestDefaultBackoffKeepsTheContract(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now, attempts := created, 1
	for {
		next, ok := DefaultBackoff.next(attempts, created, now)
		if !ok {
			break
		}
		now, attempts = next, attempts+1
	}
	if now.Sub(created) < 24*time.Hour {
		t.Errorf("the last attempt is %s after the event; the contract wants at least 24 h", now.Sub(created))
	}
	t.Logf("%d attempts over %s", attempts, now.Sub(created))
}

func TestBackoffValidate(t *testing.T) {
	tests := []struct {
		name string
		b    Backoff
		ok   bool
	}{
		{"default", DefaultBackoff, true},
		{"no delays", Backoff{Horizon: time.Hour}, false},
		{"zero delay", Backoff{Delays: []time.Duration{0}, Horizon: time.Hour}, false},
		{"negative jitter", Backoff{Delays: []time.Duration{time.Second}, Jitter: -0.1, Horizon: time.Hour}, false},
		{"jitter of one", Backoff{Delays: []time.Duration{time.Second}, Jitter: 1, Horizon: time.Hour}, false},
		{"no horizon", Backoff{Delays: []time.Duration{time.Second}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.b.validate(); (err == nil) != tt.ok {
				t.Errorf("validate() = %v, want ok %t", err, tt.ok)
			}
		})
	}
}
