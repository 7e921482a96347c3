package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/payhost/payhost/internal/store"
)

// record runs RecordCallback in its own transaction of st.
func (e *env) record(st store.Store, instance, eventID string) (bool, error) {
	var isNew bool
	err := st.InTx(e.ctx, func(tx store.Tx) (err error) {
		isNew, err = tx.RecordCallback(e.ctx, instance, eventID)
		return err
	})
	return isNew, err
}

func testCallbacks(t *testing.T, e *env) {
	steps := []struct {
		instance, event string
		want            bool
	}{
		{"appotapay.vn", "evt-1", true},
		{"appotapay.vn", "evt-1", false},
		{"appotapay.vn", "evt-2", true},
		{"reddot.sg", "evt-1", true}, // event ids are per instance
		{"reddot.sg", "evt-1", false},
	}
	for _, s := range steps {
		got, err := e.record(e.st, s.instance, s.event)
		ok(t, "RecordCallback", err)
		if got != s.want {
			t.Errorf("RecordCallback(%s, %s) = %t, want %t", s.instance, s.event, got, s.want)
		}
	}

	// A receipt lives and dies with the transaction that applies the event.
	err := e.st.InTx(e.ctx, func(tx store.Tx) error {
		isNew, err := tx.RecordCallback(e.ctx, "appotapay.vn", "evt-3")
		if err != nil || !isNew {
			t.Errorf("RecordCallback = %t, %v; want new", isNew, err)
		}
		return errBoom
	})
	wantErr(t, "InTx", err, errBoom)
	isNew, err := e.record(e.st, "appotapay.vn", "evt-3")
	ok(t, "RecordCallback", err)
	if !isNew {
		t.Error("the receipt of a rolled-back transaction was kept")
	}
}

func testCallbackRace(t *testing.T, e *env) {
	const hosts, events = 2, 50
	handles := make([]store.Store, hosts)
	for i := range handles {
		handles[i] = e.handle(t)
	}
	for n := range events {
		event := fmt.Sprintf("evt-%d", n)
		news := make([]bool, hosts)
		errs := make([]error, hosts)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, h := range handles {
			wg.Go(func() {
				<-start
				news[i], errs[i] = e.record(h, "appotapay.vn", event)
			})
		}
		close(start)
		wg.Wait()
		count := 0
		for i := range hosts {
			ok(t, "RecordCallback", errs[i])
			if news[i] {
				count++
			}
		}
		if count != 1 {
			t.Fatalf("%s: %d hosts found the callback new, want exactly 1", event, count)
		}
	}
}
