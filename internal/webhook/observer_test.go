package webhook_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/webhook"
)

// observations collects what Options.Observer is told.
type observations struct {
	mu  sync.Mutex
	got []webhook.Observation
}

func (o *observations) observe(ob webhook.Observation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, ob)
}

func (o *observations) of(id string) []webhook.Observation {
	o.mu.Lock()
	defer o.mu.Unlock()
	var of []webhook.Observation
	for _, ob := range o.got {
		if ob.EventID == id {
			of = append(of, ob)
		}
	}
	return of
}

// TestObserver: the observer hears of every attempt, recorded, with how it
// ended: failed (retried), delivered, abandoned.
func TestObserver(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open opener) {
		st := open(t, store.Options{})
		// The first attempt of each event fails, the next is taken.
		m := newMerchant(t, "whsec_observe", func(w http.ResponseWriter, r *http.Request, attempt int) {
			if attempt == 1 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
		var obs observations
		opts := quick()
		opts.Observer = obs.observe
		d := startDispatcher(t, t.Context(), st, m, m.endpoints("/events"), opts)
		id := appendEvents(t, st, 1)[0]
		waitFor(t, "the event delivered", func() bool { return !event(t, st, id).DeliveredAt.IsZero() })
		waitFor(t, "two observations", func() bool { return len(obs.of(id)) == 2 })

		got := obs.of(id)
		slices.SortFunc(got, func(a, b webhook.Observation) int { return a.Attempt - b.Attempt })
		want := []struct {
			result string
			status int
		}{{webhook.ResultFailed, http.StatusBadGateway}, {webhook.ResultDelivered, http.StatusNoContent}}
		for i, ob := range got {
			if ob.Attempt != i+1 || ob.Result != want[i].result || ob.HTTPStatus != want[i].status ||
				!ob.Recorded || ob.EventType != "payment.succeeded" || ob.MerchantID != merchantID || ob.Duration <= 0 {
				t.Errorf("observation %d: %+v, want attempt %d %s with status %d, recorded", i, ob, i+1, want[i].result, want[i].status)
			}
		}
		d.Close()

		// A merchant without a webhook: given up at once.
		none := startDispatcher(t, t.Context(), st, m, webhook.EndpointMap{}, opts)
		lost := appendEvents(t, st, 1)[0]
		none.Notify()
		waitFor(t, "the event given up", func() bool { return !event(t, st, lost).FailedAt.IsZero() })
		none.Close()
		if got := obs.of(lost); len(got) != 1 || got[0].Result != webhook.ResultAbandoned || !got[0].Recorded || got[0].HTTPStatus != 0 {
			t.Errorf("observations of an event without a webhook: %+v, want one abandoned", got)
		}
	})
}
