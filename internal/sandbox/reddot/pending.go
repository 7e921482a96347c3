package reddot

import (
	"fmt"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// A pending (-01) payment resolves to the outcome its scenario chose once
// Config.PendingDelay has passed on the emulator's clock. The emulator
// notices this in two ways: a wall-clock timer set when the payment went
// pending (which pushes the notification without anyone asking), and a
// check on every query or Merchant API call for the payment (which makes a
// ManualClock enough to drive it in tests). The control API's complete and
// fail resolve it at once.

// scheduleResolution sets a timer resolving payment id at resolveAt; a
// zero resolveAt (not pending, or never resolving by itself) does nothing.
func (s *Server) scheduleResolution(id string, resolveAt time.Time) {
	if resolveAt.IsZero() {
		return
	}
	s.timersMu.Lock()
	defer s.timersMu.Unlock()
	if s.closed {
		return
	}
	s.timers[id] = time.AfterFunc(resolveAt.Sub(s.now()), func() {
		s.timersMu.Lock()
		delete(s.timers, id)
		s.timersMu.Unlock()
		s.store.mu.Lock()
		n := s.resolveIfDueLocked(s.store.payments[id])
		s.store.mu.Unlock()
		s.notify(n)
	})
}

// resolveIfDueLocked resolves pay when it is pending and due, returning
// the notification to push; the zero notification when nothing changed.
func (s *Server) resolveIfDueLocked(pay *payment) notification {
	if pay == nil || !pay.due(s.now()) {
		return notification{}
	}
	return s.resolveLocked(pay, pay.Outcome == pendingApprove)
}

// resolveLocked ends a pending payment and returns its notification.
func (s *Server) resolveLocked(pay *payment, approved bool) notification {
	if !pay.resolve(approved, s.kit.IDs.Digits(7), s.kit.IDs.Digits(6)) {
		return notification{}
	}
	s.logPayment("pending payment resolved", pay)
	return s.paymentNotificationLocked(pay)
}

// paymentNotificationLocked is the push notification of pay's current
// result, signed with the secret of its MID.
func (s *Server) paymentNotificationLocked(pay *payment) notification {
	m, _ := s.merchant(pay.MID)
	return notification{id: pay.TxnID, url: pay.NotifyURL, body: signedBody(pay.result(), m.Secret)}
}

// tokenNotificationLocked is the push notification of op's result, signed
// with the secret of the requesting MID.
func (s *Server) tokenNotificationLocked(op *tokenOp) notification {
	m, _ := s.merchant(op.Req.MID)
	return notification{id: op.TxnID, url: op.Req.NotifyURL, body: signedBody(op.result(), m.Secret)}
}

// The control API's order moves (emukit.OrderController), by
// transaction_id. Complete pays a hosted page with CardApprove (creating
// or replacing a token with it on a token page) or approves a pending
// payment; fail declines either; expire ends a hosted page session unpaid.

// CompleteOrder approves transaction id.
func (s *Server) CompleteOrder(id string) error {
	return s.controlOrder(id, actionPay)
}

// FailOrder declines transaction id.
func (s *Server) FailOrder(id string) error {
	return s.controlOrder(id, actionFail)
}

// ExpireOrder ends the hosted page session of transaction id unpaid.
func (s *Server) ExpireOrder(id string) error {
	return s.controlOrder(id, actionExpire)
}

// controlOrder applies a control API move to a token session or payment.
func (s *Server) controlOrder(id string, action pageAction) error {
	s.store.mu.Lock()
	var (
		n         notification
		resolveAt time.Time
		err       error
	)
	testCard := cardInput{PAN: CardApprove, ExpDate: "12" + fmt.Sprint(s.now().Year()+5)}
	if op := s.store.tokenOps[id]; op != nil {
		n, err = s.completeTokenPageLocked(op, action, testCard)
	} else if pay := s.store.payments[id]; pay == nil {
		err = fmt.Errorf("transaction %q: %w", id, emukit.ErrNotFound)
	} else if pay.Status == payPending && action != actionExpire {
		n = s.resolveLocked(pay, action == actionPay)
	} else {
		if n, err = s.completePaymentPageLocked(pay, action, testCard); err == nil {
			resolveAt = pay.ResolveAt
		}
	}
	s.store.mu.Unlock()
	s.notify(n)
	s.scheduleResolution(id, resolveAt)
	return err
}
