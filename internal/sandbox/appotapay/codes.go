package appotapay

import (
	"fmt"
	"net/http"
	"strings"
)

// AppotaPay errorCode values the emulator answers with. The numbers and
// their meanings come from AppotaPay's published error tables (GATEWAYS.md
// §2.4); the messages are the emulator's own.
const (
	codeSuccess           = 0
	codeInvalidParams     = 1
	codeInvalidSignature  = 2
	codePartnerNotFound   = 11
	codePartnerLocked     = 13
	codeAPIKeyNotFound    = 14
	codeAPIKeyInactive    = 15
	codeDuplicateOrder    = 30
	codeDuplicateRefund   = 31
	codeInvalidAmount     = 32
	codeTransactionFailed = 33
	codeProcessing        = 34
	codePending           = 35
	codeNotFound          = 36
	codeRefundExceeds     = 110
	codeRefundWait        = 129
	codeNotRefundable     = 135
	codeMethodNotAllowed  = 140
	codeBankNotAllowed    = 141
	codeUnauthorized      = 401
)

// messageSuccess is AppotaPay's success message. It is part of signed
// strings (message=Thành công), so it is kept byte for byte.
const messageSuccess = "Thành công"

// apiError is a rejection as AppotaPay reports it: an errorCode, a message
// and, for parameter errors, the offending fields. status is the HTTP
// status the emulator answers with.
type apiError struct {
	status  int
	code    int
	message string
	fields  []fieldError
}

func (e *apiError) Error() string {
	return fmt.Sprintf("errorCode %d: %s", e.code, e.message)
}

// fieldError names one bad request field and why it is bad. code is
// codeInvalidAmount for an amount outside what AppotaPay accepts and
// codeInvalidParams for anything else.
type fieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
	code   int
}

func (f fieldError) String() string { return f.Field + ": " + f.Reason }

// newError returns an apiError answered with HTTP 200, the way the v1.x
// API reports business errors in the body.
func newError(code int, format string, args ...any) *apiError {
	return &apiError{status: http.StatusOK, code: code, message: fmt.Sprintf(format, args...)}
}

// authError is a JWT rejection: always HTTP 401.
func authError(code int, format string, args ...any) *apiError {
	e := newError(code, format, args...)
	e.status = http.StatusUnauthorized
	return e
}

// paramError reports invalid request fields: errorCode 32 when every
// problem is an invalid amount, 1 otherwise. The message names each field.
func paramError(errs []fieldError) *apiError {
	code := codeInvalidAmount
	parts := make([]string, len(errs))
	for i, f := range errs {
		parts[i] = f.String()
		if f.code != codeInvalidAmount {
			code = codeInvalidParams
		}
	}
	e := newError(code, "Missing or invalid params: %s", strings.Join(parts, "; "))
	e.fields = errs
	return e
}

// signatureError reports a request whose signature does not verify.
func signatureError(what string) *apiError {
	return newError(codeInvalidSignature, "Invalid signature: signature does not match the %s", what)
}
