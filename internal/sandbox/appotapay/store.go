package appotapay

import (
	"fmt"
	"sync"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// partnerKey scopes an id to the partner that chose it: order ids and
// refund ids need only be unique per partner.
type partnerKey struct{ partner, id string }

// savedToken is a saved-card token issued to a partner.
type savedToken struct {
	partner string
	card    *testCard
}

// store keeps the emulator's orders, refunds and saved-card tokens in
// memory. It hands out copies; every change goes through a method that
// holds the lock, so each check-and-change is atomic. Refunds settle
// lazily: whenever they are read, on the store's clock.
type store struct {
	clock emukit.Clock

	mu             sync.Mutex
	orders         map[partnerKey]*order
	byTrans        map[string]*order
	refunds        map[partnerKey]*refund
	refundsByID    map[string]*refund
	refundsByTrans map[string][]*refund
	tokens         map[string]savedToken
}

func newStore(clock emukit.Clock) *store {
	st := &store{clock: clock}
	st.reset()
	return st
}

// reset forgets every order, refund and token.
func (st *store) reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.orders = make(map[partnerKey]*order)
	st.byTrans = make(map[string]*order)
	st.refunds = make(map[partnerKey]*refund)
	st.refundsByID = make(map[string]*refund)
	st.refundsByTrans = make(map[string][]*refund)
	st.tokens = make(map[string]savedToken)
}

// addOrder stores o under a transaction id from newTransID (drawn again
// while it collides) and returns the stored copy; it reports false when
// the partner already used its order id.
func (st *store) addOrder(o order, newTransID func() string) (order, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	key := partnerKey{o.Partner.Code, o.OrderID}
	if _, dup := st.orders[key]; dup {
		return order{}, false
	}
	o.TransID = newTransID()
	for st.byTrans[o.TransID] != nil {
		o.TransID = newTransID()
	}
	st.orders[key] = &o
	st.byTrans[o.TransID] = &o
	return o, true
}

// order returns a copy of the partner's order orderID.
func (st *store) order(partner, orderID string) (order, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	o, ok := st.orders[partnerKey{partner, orderID}]
	if !ok {
		return order{}, false
	}
	return *o, true
}

// orderByTrans returns a copy of the order with AppotaPay transaction id
// transID.
func (st *store) orderByTrans(transID string) (order, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	o, ok := st.byTrans[transID]
	if !ok {
		return order{}, false
	}
	return *o, true
}

// findOrder looks an order up by AppotaPay transaction id or, failing
// that, by the partner order id, for the control API. An order id used by
// two partners is ambiguous.
func (st *store) findOrder(id string) (order, error) {
	if o, ok := st.orderByTrans(id); ok {
		return o, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	var found []*order
	for key, o := range st.orders {
		if key.id == id {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 0:
		return order{}, fmt.Errorf("order %q: %w", id, emukit.ErrNotFound)
	case 1:
		return *found[0], nil
	default:
		return order{}, fmt.Errorf("order id %q is used by %d partners; use the appotapayTransId instead", id, len(found))
	}
}

// update applies change to the order with transaction id transID under
// the lock and returns the changed copy. change sees the live order; an
// error from it leaves the order as change left it (change must not
// modify before failing).
func (st *store) update(transID string, change func(o *order, now time.Time) error) (order, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	o, ok := st.byTrans[transID]
	if !ok {
		return order{}, fmt.Errorf("transaction %q: %w", transID, emukit.ErrNotFound)
	}
	if err := change(o, st.clock.Now()); err != nil {
		return *o, err
	}
	return *o, nil
}

// saveToken records a saved-card token for partner.
func (st *store) saveToken(token, partner string, card *testCard) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tokens[token] = savedToken{partner: partner, card: card}
}

// tokenCard returns the card behind the partner's saved token.
func (st *store) tokenCard(partner, token string) (*testCard, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	t, ok := st.tokens[token]
	if !ok || t.partner != partner {
		return nil, false
	}
	return t.card, true
}

// refundRequest is a refund as the partner asked for it.
type refundRequest struct {
	Partner      *Partner
	PartnerRefID string
	TransID      string
	Amount       int64
	Reason       string
}

// addRefund checks a refund against the order and the refunds before it
// and, when allowed, stores the refund that build returns. Checks, in
// order: duplicate refund id (31), unknown transaction (36), order not
// paid (135), then build's own checks, then amount above what is left to
// refund (110).
func (st *store) addRefund(req refundRequest, build func(o *order, now time.Time) (refund, *apiError)) (refund, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	key := partnerKey{req.Partner.Code, req.PartnerRefID}
	if _, dup := st.refunds[key]; dup {
		return refund{}, newError(codeDuplicateRefund, "Duplicate refundId: %q was already used", req.PartnerRefID)
	}
	o, ok := st.byTrans[req.TransID]
	if !ok || o.Partner.Code != req.Partner.Code {
		return refund{}, newError(codeNotFound, "Transaction is not found: appotapayTransId %q", req.TransID)
	}
	if o.State != statePaid {
		return refund{}, newError(codeNotRefundable, "Transaction does not support refund: it is %s, not paid", o.State)
	}
	now := st.clock.Now()
	r, apiErr := build(o, now)
	if apiErr != nil {
		return refund{}, apiErr
	}
	if left := o.Amount - st.refundedLocked(o.TransID, now); req.Amount > left {
		return refund{}, newError(codeRefundExceeds, "The total refund amount exceeds the transaction amount: amount %d is more than the %d VND left to refund", req.Amount, left)
	}
	st.refunds[key] = &r
	st.refundsByID[r.ID] = &r
	st.refundsByTrans[o.TransID] = append(st.refundsByTrans[o.TransID], &r)
	return r, nil
}

// refundedLocked sums the refunds of a transaction that did not end in
// error. The caller holds the lock.
func (st *store) refundedLocked(transID string, now time.Time) int64 {
	var sum int64
	for _, r := range st.refundsByTrans[transID] {
		r.settle(now)
		if r.Status != RefundError {
			sum += r.Amount
		}
	}
	return sum
}

// refund returns a copy of the partner's refund partnerRefID, settled up
// to now.
func (st *store) refund(partner, partnerRefID string) (refund, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.refunds[partnerKey{partner, partnerRefID}]
	if !ok {
		return refund{}, false
	}
	r.settle(st.clock.Now())
	return *r, true
}

// refundByID returns a copy of the partner's refund with AppotaPay refund
// id id, settled up to now.
func (st *store) refundByID(partner, id string) (refund, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.refundsByID[id]
	if !ok || r.PartnerCode != partner {
		return refund{}, false
	}
	r.settle(st.clock.Now())
	return *r, true
}

// settleRefund forces a refund, found by AppotaPay refund id or partner
// refund id, to status (success or error), for the control API.
func (st *store) settleRefund(id, status string) (refund, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var found []*refund
	if r, ok := st.refundsByID[id]; ok {
		found = append(found, r)
	}
	for key, r := range st.refunds {
		if key.id == id && r.ID != id {
			found = append(found, r)
		}
	}
	switch {
	case len(found) == 0:
		return refund{}, fmt.Errorf("refund %q: %w", id, emukit.ErrNotFound)
	case len(found) > 1:
		return refund{}, fmt.Errorf("refund id %q is used by %d partners; use AppotaPay's refundId instead", id, len(found))
	}
	r := found[0]
	r.settle(st.clock.Now())
	if r.final() && r.Status != status {
		return *r, fmt.Errorf("refund %q already settled as %s", id, r.Status)
	}
	if !r.final() {
		r.Status, r.SettledAt = status, st.clock.Now()
	}
	return *r, nil
}
