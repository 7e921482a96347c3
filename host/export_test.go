package host

import "github.com/payhost/payhost/internal/store"

// StoreOf returns the store of h, for tests that check what it holds.
func StoreOf(h *Host) store.Store { return h.store }

// WrapStore makes h use wrap(its store) from now on, for tests that
// watch or break what the engine sends to the store.
func WrapStore(h *Host, wrap func(store.Store) store.Store) { h.store = wrap(h.store) }
