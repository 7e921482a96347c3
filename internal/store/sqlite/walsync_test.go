package sqlite

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// newPayment is a payment to insert.
func newPayment() *store.Payment {
	return &store.Payment{MerchantID: "acme", Amount: 1000, Currency: "USD", Method: plugin.MethodCard,
		Capture: plugin.CaptureAutomatic, Status: plugin.StatusProcessing, ProviderInstance: "fault.a"}
}

// TestSyncOutsideTheWriteLock: a write transaction returns only once a
// sync after its commit is done, and while that sync runs, the next
// transaction runs (the write connection is not held for the sync).
func TestSyncOutsideTheWriteLock(t *testing.T) {
	entered, release := make(chan struct{}, 16), make(chan struct{})
	blocking := false
	st, err := open(t.Context(), filepath.Join(t.TempDir(), "payhost.db"), store.Options{}, func(sync func() error) func() error {
		return func() error {
			if blocking {
				entered <- struct{}{}
				<-release
			}
			return sync()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	blocking = true

	first := make(chan error, 1)
	p := newPayment()
	go func() {
		first <- st.InTx(t.Context(), func(tx store.Tx) error { return tx.InsertPayment(t.Context(), p) })
	}()
	<-entered // the first transaction committed, and its sync hangs

	// The next transaction runs and commits meanwhile; neither returns
	// before a sync after its commit.
	ran := make(chan struct{})
	second := make(chan error, 1)
	q := newPayment()
	go func() {
		second <- st.InTx(t.Context(), func(tx store.Tx) error {
			close(ran)
			return tx.InsertPayment(t.Context(), q)
		})
	}()
	select {
	case <-ran:
	case <-time.After(5 * time.Second):
		t.Fatal("the second transaction did not run while the first one's sync was in progress")
	}
	select {
	case err := <-first:
		t.Fatalf("the first transaction returned (%v) before its sync ended", err)
	case err := <-second:
		t.Fatalf("the second transaction returned (%v) before any sync after its commit", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	for _, c := range []chan error{first, second} {
		if err := <-c; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{p.ID, q.ID} {
		if _, err := st.GetPayment(t.Context(), id); err != nil {
			t.Errorf("GetPayment(%s) after both returned: %v", id, err)
		}
	}
}

// TestSyncFailureStopsWrites: when the sync fails, the transactions it
// was to cover fail (their writes may not be durable), and so does every
// write after, rather than returning as if durable.
func TestSyncFailureStopsWrites(t *testing.T) {
	broken := false
	st, err := open(t.Context(), filepath.Join(t.TempDir(), "payhost.db"), store.Options{}, func(sync func() error) func() error {
		return func() error {
			if broken {
				return errors.New("input/output error")
			}
			return sync()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	insert := func() error {
		return st.InTx(t.Context(), func(tx store.Tx) error { return tx.InsertPayment(t.Context(), newPayment()) })
	}
	if err := insert(); err != nil {
		t.Fatal(err)
	}
	broken = true
	err = insert()
	if err == nil || !strings.Contains(err.Error(), "may not be durable") {
		t.Fatalf("InTx with a failing sync: %v; want an error saying the writes may not be durable", err)
	}
	broken = false
	if err := insert(); err == nil || !strings.Contains(err.Error(), "input/output error") {
		t.Fatalf("InTx after a failed sync: %v; want the sync's failure", err)
	}
}

// TestWALSyncFollowsTheFile: the sync opens the log file again when its
// name leads to another file, and fails when there is none.
func TestWALSyncFollowsTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "payhost.db-wal")
	if err := os.WriteFile(path, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &walSync{path: path}
	t.Cleanup(func() { _ = s.close() })
	if err := s.sync(); err != nil {
		t.Fatal(err)
	}
	first := s.info
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	if err := s.sync(); err != nil {
		t.Fatal(err)
	}
	if os.SameFile(first, s.info) {
		t.Error("the sync kept the replaced file open")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := s.sync(); err == nil {
		t.Error("the sync of a log that is gone succeeded")
	}
}
