package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
)

func TestNewID(t *testing.T) {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	seen := map[string]bool{}
	for range 10000 {
		id := store.NewID(store.PrefixPayment)
		body, ok := strings.CutPrefix(id, store.PrefixPayment)
		if !ok || len(body) != 26 || strings.Trim(body, alphabet) != "" {
			t.Fatalf("NewID = %q, want pay_ and 26 characters of %s", id, alphabet)
		}
		if seen[id] {
			t.Fatalf("NewID repeated %s", id)
		}
		seen[id] = true
	}
}

func TestInvariantError(t *testing.T) {
	err := fmt.Errorf("refund: %w", &store.InvariantError{PaymentID: "pay_1", Reason: "refund of 6.00 USD would exceed the captured amount 10.00 USD"})
	if !errors.Is(err, store.ErrInvariant) || errors.Is(err, store.ErrConflict) {
		t.Errorf("errors.Is: %v", err)
	}
	var inv *store.InvariantError
	if !errors.As(err, &inv) || inv.PaymentID != "pay_1" {
		t.Errorf("errors.As: %v", err)
	}
	const want = "refund: payment pay_1: refund of 6.00 USD would exceed the captured amount 10.00 USD"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
}

func TestTimestamp(t *testing.T) {
	tests := []struct {
		in, want time.Time
	}{
		{time.Time{}, time.Time{}},
		{time.Date(2030, 1, 2, 3, 4, 5, 678901234, time.FixedZone("ICT", 7*3600)),
			time.Date(2030, 1, 1, 20, 4, 5, 678901000, time.UTC)},
	}
	for _, tt := range tests {
		if got := store.Timestamp(tt.in); got != tt.want {
			t.Errorf("Timestamp(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	clock := func() time.Time { return time.Date(2030, 1, 2, 3, 4, 5, 999, time.UTC) }
	if got := (store.Options{Clock: clock}).Now(); got != time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC) {
		t.Errorf("Options.Now() = %s", got)
	}
}

func TestFingerprint(t *testing.T) {
	base := store.Fingerprint("POST", "/v1/payments", []byte(`{"amount":1}`))
	for _, other := range []string{
		store.Fingerprint("PUT", "/v1/payments", []byte(`{"amount":1}`)),
		store.Fingerprint("POST", "/v1/payments/x", []byte(`{"amount":1}`)),
		store.Fingerprint("POST", "/v1/payments", []byte(`{"amount":2}`)),
		// The parts are delimited: moving a byte across a boundary changes it.
		store.Fingerprint("POST", "/v1/payments{", []byte(`"amount":1}`)),
	} {
		if other == base {
			t.Errorf("two different requests share fingerprint %s", base)
		}
	}
	if len(base) != 64 || base != store.Fingerprint("POST", "/v1/payments", []byte(`{"amount":1}`)) {
		t.Errorf("Fingerprint = %q, want 64 stable hex digits", base)
	}
}
