package appotapay

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// CompleteOrder pays a pending or processing order as if the customer and
// the bank had finished, and sends its IPN.
func (s *Server) CompleteOrder(id string) error { return s.controlOrder(id, statePaid) }

// FailOrder declines a pending or processing order. No IPN is sent.
func (s *Server) FailOrder(id string) error { return s.controlOrder(id, stateFailed) }

// ExpireOrder expires a pending or processing order. No IPN is sent.
func (s *Server) ExpireOrder(id string) error { return s.controlOrder(id, stateExpired) }

// controlOrder moves an order for the control API
// (POST /__emulator/orders/{id}/complete|fail|expire); id is an
// appotapayTransId or a partner orderId.
func (s *Server) controlOrder(id string, to orderState) error {
	o, err := s.store.findOrder(id)
	if err != nil {
		return err
	}
	_, err = s.moveOrder(o.TransID, to)
	return err
}

// ResetState forgets every order, refund and saved-card token, for
// POST /__emulator/reset.
func (s *Server) ResetState() { s.store.reset() }

// controlRefund serves POST /__emulator/refunds/{id}/complete|fail: it
// settles a refund (AppotaPay refundId or the partner's refund id) to
// success or error at once.
func (s *Server) controlRefund(w http.ResponseWriter, r *http.Request) {
	status := map[string]string{"complete": RefundSuccess, "fail": RefundError}[r.PathValue("action")]
	if status == "" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("unknown refund action %q (want complete or fail)", r.PathValue("action"))})
		return
	}
	rf, err := s.store.settleRefund(r.PathValue("id"), status)
	switch {
	case errors.Is(err, emukit.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	case err != nil:
		writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"refundId": rf.ID, "refundOriginalId": rf.PartnerRefID, "status": rf.Status})
	}
}

var (
	_ emukit.OrderController = (*Server)(nil)
	_ emukit.Resetter        = (*Server)(nil)
)
