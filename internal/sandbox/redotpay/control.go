package redotpay

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// CompleteOrder pays order id (sending its webhook), ignoring magic
// amounts, or approves the pending card authorization id. It serves
// POST /__emulator/orders/{id}/complete.
func (s *Server) CompleteOrder(id string) error {
	_, err := s.payOrder(id, false)
	if errors.Is(err, errOrderNotFound) {
		err = s.resolveCard(id, true)
	}
	return controlError(id, err)
}

// FailOrder fails a payment attempt on order id (orderStatus 3; the order
// stays payable), or declines the pending card authorization id. It
// serves POST /__emulator/orders/{id}/fail.
func (s *Server) FailOrder(id string) error {
	_, err := s.failOrder(id)
	if errors.Is(err, errOrderNotFound) {
		err = s.resolveCard(id, false)
	}
	return controlError(id, err)
}

// ExpireOrder makes order id's timeExpire pass now (orderStatus 4). It
// serves POST /__emulator/orders/{id}/expire.
func (s *Server) ExpireOrder(id string) error {
	now := s.now()
	_, err := s.store.updateOrder(id, anyOwner, now, func(o *order) error { return o.expire(now) })
	if errors.Is(err, errOrderNotFound) {
		if _, cardErr := s.store.updateCard(id, anyOwner, now, nil); cardErr == nil {
			err = fmt.Errorf("%w: card transactions do not expire", errInvalidState)
		}
	}
	return controlError(id, err)
}

func (s *Server) resolveCard(id string, approved bool) error {
	t, err := s.store.updateCard(id, anyOwner, s.now(), func(t *cardTxn) error { return t.resolve(approved) })
	if err == nil {
		s.kit.Logger.Info("card authorization resolved", "transaction_id", t.id, "status", t.status)
	}
	return err
}

// controlError turns an unknown id into emukit.ErrNotFound, which the
// control API answers with 404.
func controlError(id string, err error) error {
	if errors.Is(err, errOrderNotFound) || errors.Is(err, errTxnNotFound) {
		return fmt.Errorf("no order or card transaction %q: %w", id, emukit.ErrNotFound)
	}
	return err
}

// controlRefund is the body of POST /__emulator/orders/{id}/refund.
// Amount is a decimal string in major units (default: all that is left);
// Outcome is "success" (default) or "failure".
type controlRefund struct {
	Amount  string `json:"amount"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// handleControlRefund refunds a paid Connect order and sends a REFUND
// webhook with the outcome. RedotPay's refund API was not found, so this
// control call stands in for it; a failed refund books nothing.
func (s *Server) handleControlRefund(w http.ResponseWriter, r *http.Request) {
	req, err := decodeControlRefund(w, r)
	if err != nil {
		writeControlError(w, err)
		return
	}
	id, now := r.PathValue("id"), s.now()
	var units int64
	o, err := s.store.updateOrder(id, anyOwner, now, func(o *order) error {
		if o.profile != profileConnect {
			return fmt.Errorf("%w: refunds are emulated for Connect orders; seed card refunds use /v1/refund", errInvalidState)
		}
		u, err := parseControlAmount(req.Amount, o)
		if err != nil {
			return err
		}
		units = u
		if req.Outcome == "failure" {
			check := *o
			return check.refund(units)
		}
		return o.refund(units)
	})
	if err != nil {
		writeControlError(w, controlError(id, err))
		return
	}
	refundSn := s.newID("RFD", 10)
	succeeded := req.Outcome != "failure"
	callbackID := s.sendConnectWebhook(o, s.refundWebhookFor(o, refundSn, units, succeeded, req.Reason, now))
	s.kit.Logger.Info("refund", "orderSn", o.sn, "refundSn", refundSn, "succeeded", succeeded)
	writeJSON(w, http.StatusOK, map[string]any{
		"refundSn": refundSn, "succeeded": succeeded, "callback_id": callbackID,
		"refundAmount": amount{units, o.amount.scale}.String(), "refundedAmount": amount{o.refunded, o.amount.scale}.String(),
	})
}

func decodeControlRefund(w http.ResponseWriter, r *http.Request) (controlRefund, error) {
	var req controlRefund
	body, err := readBody(w, r)
	if err != nil || len(body) == 0 {
		return req, err
	}
	if err := decodeJSON(body, &req); err != nil {
		return req, err
	}
	switch req.Outcome {
	case "", "success", "failure":
		return req, nil
	}
	return req, fieldErrorf("outcome", "must be success or failure")
}

// parseControlAmount reads a refund amount for o; empty means all that is
// left to refund.
func parseControlAmount(text string, o *order) (int64, error) {
	if text == "" {
		return o.amount.units - o.refunded, nil
	}
	units, err := parseFixed(text, maxIntDigits, o.amount.scale)
	switch {
	case err != nil:
		return 0, &fieldError{field: "amount", msg: err.Error()}
	case units == 0:
		return 0, fieldErrorf("amount", "must be greater than zero")
	}
	return units, nil
}

// writeControlError answers in the control API's {"error": ...} shape.
func writeControlError(w http.ResponseWriter, err error) {
	status := classify(err).status
	if errors.Is(err, emukit.ErrNotFound) {
		status = http.StatusNotFound
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

var _ emukit.OrderController = (*Server)(nil)
