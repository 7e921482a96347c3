package host

import (
	"context"
	"sync"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// syncRefunds asks the provider about payment id's pending refunds whose
// attempt is not running, and settles those it has decided. A payment
// with refunds still pending stays watched.
func (h *Host) syncRefunds(ctx context.Context, id string) error {
	var (
		p        *store.Payment
		attempts []store.Attempt
		refunds  []store.Refund
	)
	err := h.store.View(ctx, func(r store.Reader) (err error) {
		if p, err = r.GetPayment(ctx, id); err != nil {
			return err
		}
		if attempts, err = r.ListAttempts(ctx, id); err != nil {
			return err
		}
		refunds, err = r.ListRefunds(ctx, id)
		return err
	})
	if err != nil {
		return err
	}
	prov := h.providers[p.ProviderInstance]
	left := false
	for i := range refunds {
		rf := &refunds[i]
		if rf.Status != plugin.RefundPending {
			continue
		}
		if refundRunning(attempts, rf.ID) || prov == nil || !prov.caps.Supports(plugin.OpGetRefund) {
			left = true
			continue
		}
		resp, callErr := call(h, ctx, prov, plugin.OpGetRefund, func(ctx context.Context, pp plugin.Provider) (*plugin.GetRefundResponse, error) {
			return pp.GetRefund(ctx, &plugin.GetRefundRequest{PaymentRef: paymentRef(p, attempts), RefundID: rf.ID,
				ProviderRefundReference: rf.ProviderRefundReference, Amount: p.Money(rf.Amount)})
		})
		var still bool
		if callErr == nil {
			err = h.inTx(ctx, func(tx store.Tx) (err error) {
				settled := *rf
				still, err = h.settleRefund(ctx, tx, &settled, &resp.RefundResult)
				return err
			})
		}
		if err != nil {
			return err
		}
		left = left || callErr != nil || still
	}
	if left {
		h.watchRefunds(id)
	} else {
		h.refunds.forget(id)
	}
	return nil
}

// refundRunning reports whether refund id's attempt is started.
func refundRunning(attempts []store.Attempt, id string) bool {
	for _, a := range attempts {
		if a.RefundID == id && a.Status == store.AttemptStarted {
			return true
		}
	}
	return false
}

// refundWatch remembers the payments with refunds pending at the gateway,
// and when to ask about them next. (The store finds payments due for a
// status query, but not refunds: a payment whose refund outcome is
// unknown stays succeeded.)
type refundWatch struct {
	mu      sync.Mutex
	entries map[string]watched
}

// watched is when to ask about a payment's refunds, and how many times
// they were asked about.
type watched struct {
	at time.Time
	n  int
}

// watchRefunds schedules a query of payment id's pending refunds, after
// the reconcile schedule's delay for the queries made so far.
func (h *Host) watchRefunds(id string) {
	w := &h.refunds
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.entries == nil {
		w.entries = map[string]watched{}
	}
	e, ok := w.entries[id]
	if ok {
		e.n++
	}
	e.at = h.now().Add(h.syncDelay(e.n))
	w.entries[id] = e
}

// due returns the payments whose refunds are due for a query at now.
func (w *refundWatch) due(now time.Time) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var ids []string
	for id, e := range w.entries {
		if !e.at.After(now) {
			ids = append(ids, id)
		}
	}
	return ids
}

// forget stops watching payment id.
func (w *refundWatch) forget(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.entries, id)
}
