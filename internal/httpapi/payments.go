package httpapi

import (
	"net/http"

	"github.com/payhost/payhost/api"
)

// noParams is the body of operations without parameters: empty, or an
// object without fields.
type noParams struct{}

func (h *handler) createPayment(c *call) (int, any, error) {
	var req api.CreatePaymentRequest
	if err := c.decode(&req, bodyRequired); err != nil {
		return 0, nil, err
	}
	p, err := h.svc.CreatePayment(c.ctx(), c.merchant, &req, c.opts...)
	return http.StatusCreated, p, err
}

func (h *handler) getPayment(c *call) (int, any, error) {
	p, err := h.svc.GetPayment(c.ctx(), c.merchant, c.id(), c.opts...)
	return http.StatusOK, p, err
}

func (h *handler) capturePayment(c *call) (int, any, error) {
	var req api.CaptureRequest
	if err := c.decode(&req, bodyOptional); err != nil {
		return 0, nil, err
	}
	p, err := h.svc.CapturePayment(c.ctx(), c.merchant, c.id(), &req, c.opts...)
	return http.StatusOK, p, err
}

func (h *handler) refundPayment(c *call) (int, any, error) {
	var req api.RefundRequest
	if err := c.decode(&req, bodyOptional); err != nil {
		return 0, nil, err
	}
	r, err := h.svc.RefundPayment(c.ctx(), c.merchant, c.id(), &req, c.opts...)
	return http.StatusCreated, r, err
}

func (h *handler) voidPayment(c *call) (int, any, error) {
	if err := c.decode(&noParams{}, bodyOptional); err != nil {
		return 0, nil, err
	}
	p, err := h.svc.VoidPayment(c.ctx(), c.merchant, c.id(), c.opts...)
	return http.StatusOK, p, err
}

func (h *handler) reversePayment(c *call) (int, any, error) {
	if err := c.decode(&noParams{}, bodyOptional); err != nil {
		return 0, nil, err
	}
	p, err := h.svc.ReversePayment(c.ctx(), c.merchant, c.id(), c.opts...)
	return http.StatusOK, p, err
}

// syncPayment asks the provider now. It is idempotent by nature: the
// Idempotency-Key is checked but not passed (the request id is).
func (h *handler) syncPayment(c *call) (int, any, error) {
	if err := c.decode(&noParams{}, bodyOptional); err != nil {
		return 0, nil, err
	}
	p, err := h.svc.SyncPayment(c.ctx(), c.merchant, c.id(), api.WithRequestID(requestOf(c.r).id))
	return http.StatusOK, p, err
}
