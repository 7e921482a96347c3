package host

import (
	"errors"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// TestTransitions checks every pair of statuses against the rules the
// table must keep: terminal statuses never move, succeeded never goes back
// to authorized or pending, pending ones may become anything the gateway
// decides, unknown anything the truth is.
func TestTransitions(t *testing.T) {
	allowed := map[plugin.PaymentStatus]map[plugin.PaymentStatus]bool{}
	for from, tos := range transitions {
		allowed[from] = map[plugin.PaymentStatus]bool{}
		for _, to := range tos {
			allowed[from][to] = true
		}
	}
	for _, from := range plugin.PaymentStatuses {
		if _, ok := transitions[from]; !ok {
			t.Errorf("status %s is missing from the table", from)
		}
		for _, to := range plugin.PaymentStatuses {
			var want bool
			switch {
			case from == to:
				want = false // staying is not a move
			case from == failed || from == canceled || from == reversed || from == expired:
				want = false
			case from == succeeded:
				want = to == reversed || to == unknown
			case from == authorized:
				want = to == succeeded || to == canceled || to == failed || to == unknown
			case from == unknown:
				want = true
			default: // requires_action, processing
				want = to != reversed
			}
			if allowed[from][to] != want {
				t.Errorf("%s -> %s allowed: %v, want %v", from, to, allowed[from][to], want)
			}
		}
	}
}

func TestApply(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	usd := func(n int64) plugin.Money { return plugin.Money{Amount: n, Currency: "USD"} }
	payment := func(status plugin.PaymentStatus, authorized, captured int64) *store.Payment {
		return &store.Payment{ID: "pay_1", Amount: 1000, Currency: "USD", Status: status,
			AmountAuthorized: authorized, AmountCaptured: captured}
	}
	tests := []struct {
		name     string
		p        *store.Payment
		r        plugin.PaymentResult
		captured int64
		moved    bool
		err      bool
		// want are the status, authorized and captured amounts after.
		want      plugin.PaymentStatus
		auth, cap int64
		sync      bool
	}{
		{name: "sale", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: succeeded, Amount: usd(1000)},
			moved: true, want: succeeded, auth: 1000, cap: 1000},
		{name: "authorization", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: authorized},
			moved: true, want: authorized, auth: 1000},
		{name: "partial capture", p: payment(authorized, 1000, 0), r: plugin.PaymentResult{Status: succeeded}, captured: 600,
			moved: true, want: succeeded, auth: 1000, cap: 600},
		{name: "captured as reported", p: payment(authorized, 1000, 0), r: plugin.PaymentResult{Status: succeeded, CapturedAmount: usd(700)}, captured: 600,
			moved: true, want: succeeded, auth: 1000, cap: 700},
		{name: "unknown is scheduled", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: unknown},
			moved: true, want: unknown, sync: true},
		{name: "still processing", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: processing},
			want: processing},
		{name: "amount mismatch", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: succeeded, Amount: usd(999)},
			err: true, want: processing},
		{name: "currency mismatch", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: succeeded, Amount: plugin.Money{Amount: 1000, Currency: "EUR"}},
			err: true, want: processing},
		{name: "captured above the amount", p: payment(authorized, 1000, 0), r: plugin.PaymentResult{Status: succeeded, CapturedAmount: usd(1001)},
			err: true, want: authorized, auth: 1000},
		{name: "not a status", p: payment(processing, 0, 0), r: plugin.PaymentResult{Status: "done"},
			err: true, want: processing},
		{name: "terminal", p: payment(failed, 0, 0), r: plugin.PaymentResult{Status: succeeded},
			err: true, want: failed},
		{name: "succeeded never back", p: payment(succeeded, 1000, 1000), r: plugin.PaymentResult{Status: authorized},
			err: true, want: succeeded, auth: 1000, cap: 1000},
		{name: "unknown capture resolved", p: payment(unknown, 1000, 0), r: plugin.PaymentResult{Status: succeeded}, captured: 1000,
			moved: true, want: succeeded, auth: 1000, cap: 1000},
		{name: "unknown authorization not pending again", p: payment(unknown, 1000, 0), r: plugin.PaymentResult{Status: processing},
			err: true, want: unknown, auth: 1000},
		{name: "unknown capture not authorized again", p: payment(unknown, 1000, 1000), r: plugin.PaymentResult{Status: authorized},
			err: true, want: unknown, auth: 1000, cap: 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moved, err := apply(tt.p, &tt.r, tt.captured, now, schedule{firstSync: time.Minute, actionAge: 24 * time.Hour})
			var me *moveError
			if (err != nil) != tt.err || (err != nil && !errors.As(err, &me)) {
				t.Fatalf("error %v, want a *moveError: %v", err, tt.err)
			}
			p := tt.p
			if moved != tt.moved || p.Status != tt.want || p.AmountAuthorized != tt.auth || p.AmountCaptured != tt.cap {
				t.Errorf("moved %v to %s with %d authorized, %d captured; want %v, %s, %d, %d",
					moved, p.Status, p.AmountAuthorized, p.AmountCaptured, tt.moved, tt.want, tt.auth, tt.cap)
			}
			if sync := !p.NextSyncAt.IsZero(); sync != tt.sync || (sync && !p.NextSyncAt.Equal(now.Add(time.Minute))) {
				t.Errorf("next sync at %v, want one a minute from now: %v", p.NextSyncAt, tt.sync)
			}
		})
	}
}
