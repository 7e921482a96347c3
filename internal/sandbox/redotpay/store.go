package redotpay

import (
	"sync"
	"time"
)

// store keeps the emulator's orders and card transactions in memory. Every
// read and move happens under one lock, and callers get copies, so that a
// snapshot never changes under them. It is safe for concurrent use.
type store struct {
	mu     sync.Mutex
	orders map[string]*order
	refs   map[refKey]string // (owner, merchant order id) → orderSn
	cards  map[string]*cardTxn
}

type refKey struct{ owner, ref string }

func newStore() *store {
	return &store{
		orders: make(map[string]*order),
		refs:   make(map[refKey]string),
		cards:  make(map[string]*cardTxn),
	}
}

// anyOwner skips the ownership check, for the hosted page and the control
// API, which act on any merchant's orders.
const anyOwner = ""

// addOrder stores a new order; its merchant order id must be new for its
// owner.
func (s *store) addOrder(o order) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := refKey{o.owner, o.merchantRef}
	if _, dup := s.refs[key]; dup {
		return errDuplicateOrder
	}
	s.refs[key] = o.sn
	s.orders[o.sn] = &o
	return nil
}

// orderSnByRef finds the orderSn of owner's merchant order id.
func (s *store) orderSnByRef(owner, ref string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn, ok := s.refs[refKey{owner, ref}]
	if !ok {
		return "", errOrderNotFound
	}
	return sn, nil
}

// updateOrder applies move to the order sn of owner (or of anyone, with
// anyOwner) after letting its expiry take effect at now, and returns the
// order as it then is. A nil move just reads. When move fails the order
// stays as it was, apart from expiry.
func (s *store) updateOrder(sn, owner string, now time.Time, move func(*order) error) (order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[sn]
	if !ok || (owner != anyOwner && o.owner != owner) {
		return order{}, errOrderNotFound
	}
	o.expireIfDue(now)
	if move != nil {
		next := *o
		if err := move(&next); err != nil {
			return *o, err
		}
		*o = next
	}
	return *o, nil
}

// addCard stores a new card transaction.
func (s *store) addCard(t cardTxn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cards[t.id] = &t
}

// updateCard applies move to transaction id of owner (or of anyone, with
// anyOwner) at now and returns the transaction as it then is. A nil move
// just reads. When move fails the transaction stays as it was.
func (s *store) updateCard(id, owner string, now time.Time, move func(*cardTxn) error) (cardTxn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.cards[id]
	if !ok || (owner != anyOwner && t.owner != owner) {
		return cardTxn{}, errTxnNotFound
	}
	if move != nil {
		next := *t
		if err := move(&next); err != nil {
			return *t, err
		}
		next.updatedAt = now
		*t = next
	}
	return *t, nil
}
