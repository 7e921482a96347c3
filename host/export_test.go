package host

import "github.com/payhost/payhost/internal/store"

// StoreOf returns the store of h, for tests that check what it holds.
func StoreOf(h *Host) store.Store { return h.store }
