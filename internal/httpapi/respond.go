package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/payhost/payhost/api"
)

// The codes only the HTTP layer raises, beside api's.
const (
	codeMethodNotAllowed     api.ErrorCode = "method_not_allowed"
	codeRequestTooLarge      api.ErrorCode = "request_too_large"
	codeUnsupportedMediaType api.ErrorCode = "unsupported_media_type"
)

var localStatus = map[api.ErrorCode]int{
	codeMethodNotAllowed:     http.StatusMethodNotAllowed,
	codeRequestTooLarge:      http.StatusRequestEntityTooLarge,
	codeUnsupportedMediaType: http.StatusUnsupportedMediaType,
}

// statusOf is e's HTTP status.
func statusOf(e *api.Error) int {
	if s, ok := localStatus[e.Code]; ok {
		return s
	}
	return e.Status()
}

// envelope is the error body: {"error": {...}}.
type envelope struct {
	Error envelopeError `json:"error"`
}

type envelopeError struct {
	Code    api.ErrorCode `json:"code"`
	Message string        `json:"message"`
	Param   string        `json:"param"`
	// PaymentID is set when the error concerns a recorded payment.
	PaymentID string `json:"payment_id,omitempty"`
}

// fail answers err with the error envelope. An error that is not an
// *api.Error is a bug: it is logged and answered as internal. Server
// errors are logged; an internal error's message names the request id.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	req := requestOf(r)
	var e *api.Error
	if !errors.As(err, &e) {
		req.log.Error("internal error", "route", req.route, "error", maskPANs(err.Error()))
		e = &api.Error{Code: api.CodeInternal}
	}
	status := statusOf(e)
	msg := maskPANs(e.Message)
	switch {
	case e.Code == api.CodeInternal:
		msg = "internal error; the log has the details under request id " + req.id
	case status >= 500:
		req.log.Warn("request failed", "route", req.route, "code", e.Code, "message", msg)
	}
	h.writeJSON(w, r, status, envelope{envelopeError{Code: e.Code, Message: msg, Param: maskPANs(e.Param), PaymentID: e.PaymentID}})
}

// writeJSON answers v as JSON with status.
func (h *handler) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		requestOf(r).log.Error("cannot encode the response", "error", err)
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"internal","message":"internal error: cannot encode the response","param":""}}`)
	}
	body = append(body, '\n')
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	hdr.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
