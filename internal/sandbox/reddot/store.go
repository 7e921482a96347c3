package reddot

import "sync"

// midKey scopes a lookup key (payer id, card fingerprint, order id) to one
// MID.
type midKey struct{ mid, key string }

// store holds every token, token transaction and payment of one emulator.
// Its methods whose names end in Locked expect mu to be held.
type store struct {
	mu sync.Mutex

	tokens   map[string]*token   // by token_id
	byPayer  map[midKey]string   // active token_id by payer_id
	byCard   map[midKey]string   // active token_id by card fingerprint
	tokenOps map[string]*tokenOp // by transaction_id
	payments map[string]*payment // by transaction_id
	orders   map[midKey]string   // latest transaction_id by order_id
}

func newStore() *store {
	return &store{
		tokens:   make(map[string]*token),
		byPayer:  make(map[midKey]string),
		byCard:   make(map[midKey]string),
		tokenOps: make(map[string]*tokenOp),
		payments: make(map[string]*payment),
		orders:   make(map[midKey]string),
	}
}

// orderUsedLocked reports whether mid already used orderID.
func (s *store) orderUsedLocked(mid, orderID string) bool {
	_, ok := s.orders[midKey{mid, orderID}]
	return ok
}

// resolveTxnIDLocked maps a query's transaction_id to a stored one: the id
// itself, or, for a MID enforcing unique order ids, the transaction of the
// order id it names.
func (s *store) resolveTxnIDLocked(m Merchant, id string) string {
	_, isOp := s.tokenOps[id]
	_, isPay := s.payments[id]
	if isOp || isPay || !m.UniqueOrderID {
		return id
	}
	if txn, ok := s.orders[midKey{m.MID, id}]; ok {
		return txn
	}
	return id
}

// addTokenOpLocked stores a new token transaction.
func (s *store) addTokenOpLocked(op *tokenOp) {
	s.tokenOps[op.TxnID] = op
	s.orders[midKey{op.Req.MID, op.Req.OrderID}] = op.TxnID
}

// addPaymentLocked stores a new payment.
func (s *store) addPaymentLocked(p *payment) {
	s.payments[p.TxnID] = p
	s.orders[midKey{p.MID, p.OrderID}] = p.TxnID
}

// activeTokenLocked finds the active token of mid named by tokenID and/or
// payerID (both must agree when both are given); nil when there is none.
func (s *store) activeTokenLocked(mid, tokenID, payerID string) *token {
	if tokenID == "" {
		tokenID = s.byPayer[midKey{mid, payerID}]
	}
	t := s.tokens[tokenID]
	if t == nil || t.Removed || t.MID != mid || (payerID != "" && t.PayerID != payerID) {
		return nil
	}
	return t
}

// payerInUseLocked reports whether payerID names an active token of mid.
func (s *store) payerInUseLocked(mid, payerID string) bool {
	_, ok := s.byPayer[midKey{mid, payerID}]
	return ok
}

// cardOwnerLocked is the active token of mid holding the card with this
// fingerprint, if any.
func (s *store) cardOwnerLocked(mid, fingerprint string) *token {
	return s.tokens[s.byCard[midKey{mid, fingerprint}]]
}

// createTokenLocked stores a new active token.
func (s *store) createTokenLocked(t *token) {
	s.tokens[t.ID] = t
	s.byPayer[midKey{t.MID, t.PayerID}] = t.ID
	s.byCard[midKey{t.MID, t.Card.Fingerprint}] = t.ID
}

// replaceCardLocked puts c on t, moving the card index.
func (s *store) replaceCardLocked(t *token, c card) {
	delete(s.byCard, midKey{t.MID, t.Card.Fingerprint})
	t.Card = c
	s.byCard[midKey{t.MID, c.Fingerprint}] = t.ID
}

// removeTokenLocked deactivates t.
func (s *store) removeTokenLocked(t *token) {
	t.Removed = true
	delete(s.byPayer, midKey{t.MID, t.PayerID})
	delete(s.byCard, midKey{t.MID, t.Card.Fingerprint})
}
