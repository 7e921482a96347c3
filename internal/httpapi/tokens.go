package httpapi

import (
	"net/http"

	"github.com/payhost/payhost/api"
)

func (h *handler) createToken(c *call) (int, any, error) {
	var req api.CreateTokenRequest
	if err := c.decode(&req, bodyRequired); err != nil {
		return 0, nil, err
	}
	t, err := h.svc.CreateToken(c.ctx(), c.merchant, &req, c.opts...)
	return http.StatusCreated, t, err
}

func (h *handler) getToken(c *call) (int, any, error) {
	t, err := h.svc.GetToken(c.ctx(), c.merchant, c.id(), c.opts...)
	return http.StatusOK, t, err
}

func (h *handler) deleteToken(c *call) (int, any, error) {
	if err := c.decode(&noParams{}, bodyOptional); err != nil {
		return 0, nil, err
	}
	t, err := h.svc.DeleteToken(c.ctx(), c.merchant, c.id(), c.opts...)
	return http.StatusOK, t, err
}
