package redotpay

import (
	"encoding/json"
	"errors"
	"net/http"
)

// Errors of authentication and routing, shared by the profiles.
var (
	errInvalidField  = errors.New("invalid field")
	errUnauthorized  = errors.New("unauthorized")
	errKeyVersion    = errors.New("X-R-Key-Version")
	errTimestamp     = errors.New("X-R-Ts")
	errRiskRejected  = errors.New("order refused by risk control")
	errRouteNotFound = errors.New("no such endpoint")
)

// Is makes every fieldError match errInvalidField.
func (e *fieldError) Is(target error) bool { return target == errInvalidField }

// errorKind is how each API shows one class of error: the HTTP status,
// the Connect code, the seed code and the /v1 card code.
type errorKind struct {
	err     error
	status  int
	connect string
	seed    int
	card    string
}

// errorKinds lists every error class the handlers answer with; anything
// else is an internal error. The first match wins.
var errorKinds = []errorKind{
	{errInvalidField, http.StatusBadRequest, "PARAM_ERROR", 40001, cardCodeInvalidRequest},
	{errUnauthorized, http.StatusUnauthorized, "APP_KEY_INVALID", 40101, cardCodeUnauthorized},
	{errKeyVersion, http.StatusUnauthorized, "KEY_VERSION_INVALID", 40101, cardCodeUnauthorized},
	{errTimestamp, http.StatusUnauthorized, "TIMESTAMP_INVALID", 40101, cardCodeUnauthorized},
	{errBadSignature, http.StatusUnauthorized, "SIGN_ERROR", 40101, cardCodeUnauthorized},
	{errRouteNotFound, http.StatusNotFound, "NOT_FOUND", 40400, cardCodeNotFound},
	{errOrderNotFound, http.StatusNotFound, "ORDER_NOT_FOUND", 40401, cardCodeNotFound},
	{errTxnNotFound, http.StatusNotFound, "ORDER_NOT_FOUND", 40401, cardCodeNotFound},
	{errDuplicateOrder, http.StatusConflict, "ORDER_EXISTS", 40901, cardCodeInvalidState},
	{errOrderPaid, http.StatusConflict, "ORDER_PAID", 40902, cardCodeInvalidState},
	{errOrderClosed, http.StatusConflict, "ORDER_CLOSED", 40903, cardCodeInvalidState},
	{errOrderNotPaid, http.StatusConflict, "ORDER_NOT_PAID", 40904, cardCodeInvalidState},
	{errInvalidState, http.StatusConflict, "ORDER_STATUS_ERROR", 40905, cardCodeInvalidState},
	{errRefundTooLarge, http.StatusUnprocessableEntity, "REFUND_AMOUNT_ERROR", 42201, cardCodeAmountTooLarge},
	{errAmountTooLarge, http.StatusUnprocessableEntity, "AMOUNT_ERROR", 42201, cardCodeAmountTooLarge},
	{errRiskRejected, http.StatusUnprocessableEntity, "RISK_REJECT", 42202, cardCodeDeclined},
}

var internalError = errorKind{status: http.StatusInternalServerError, connect: "SYSTEM_ERROR", seed: 50000, card: "internal_error"}

func classify(err error) errorKind {
	for _, k := range errorKinds {
		if errors.Is(err, k.err) {
			return k
		}
	}
	return internalError
}

// writeConnectError answers err in the Connect envelope.
func writeConnectError(w http.ResponseWriter, err error) {
	k := classify(err)
	writeJSON(w, k.status, connectResponse{Code: k.connect, Msg: err.Error()})
}

// writeSeedError answers err in the seed envelope.
func writeSeedError(w http.ResponseWriter, err error) {
	k := classify(err)
	writeJSON(w, k.status, seedResponse{Code: k.seed, Message: err.Error()})
}

// writeCardError answers err in the /v1 error shape.
func writeCardError(w http.ResponseWriter, err error) {
	k := classify(err)
	body := cardError{Code: k.card, Message: err.Error()}
	var fe *fieldError
	if errors.As(err, &fe) {
		body.Param = fe.field
	}
	writeJSON(w, k.status, body)
}

// writeConnect answers a Connect success.
func writeConnect(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, connectResponse{Code: "SUCCESS", Msg: "success", Data: data})
}

// writeSeed answers a seed success.
func writeSeed(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, seedResponse{Code: 0, Data: data})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// kindError is an error with its own message that matches kind with
// errors.Is, so that the message can name the header or field at fault.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }
