package host

import (
	"context"
	"fmt"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/internal/store/postgres"
	"github.com/payhost/payhost/internal/store/sqlite"
)

// openStore opens (and migrates) the store the configuration names: the
// sqlite file, resolved against the configuration's directory, or the
// postgres database.
func openStore(ctx context.Context, s *config.Store, opts store.Options) (store.Store, error) {
	switch s.Type {
	case config.StoreSQLite:
		return sqlite.Open(ctx, s.Path, opts)
	case config.StorePostgres:
		return postgres.Open(ctx, s.DSN.Reveal(), opts)
	}
	return nil, fmt.Errorf("store %q is not a store payhost has", s.Type)
}

// retries bounds how often inTx runs a transaction that lost a race.
const retries = 3

// inTx runs fn in a store transaction, again when it lost a race with
// another writer (store.ErrConflict): fn must decide from what it reads
// and keep nothing outside the transaction but what it returns through
// variables it sets afresh. Once a transaction that queued merchant
// events commits, the outbox is told to deliver them.
func (h *Host) inTx(ctx context.Context, fn func(store.Tx) error) error {
	var err error
	for range retries {
		queued := false
		err = h.store.InTx(ctx, func(tx store.Tx) error {
			etx := &eventTx{Tx: tx}
			err := fn(etx)
			queued = etx.queued
			return err
		})
		if err == nil && queued && h.outbox != nil {
			h.outbox.Notify()
		}
		if !isConflict(err) {
			return err
		}
	}
	return err
}

// eventTx is a transaction that remembers whether it queued an event.
type eventTx struct {
	store.Tx
	queued bool
}

// AppendEvent queues e and remembers it.
func (t *eventTx) AppendEvent(ctx context.Context, e *store.Event) error {
	t.queued = true
	return t.Tx.AppendEvent(ctx, e)
}
