package reddot

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Response codes. RDP's response_code is a string column: "-01" (pending)
// and "-1" (rejected) differ although both parse as -1, so every code is
// kept as the exact string RDP sends.
const (
	codeOK       = "0"
	codeRejected = "-1"
	codePending  = "-01"

	// Token API (RDP-629).
	codeNotJSON           = "-1002"
	codeBadAPIMode        = "-1005"
	codeBadOrderID        = "-1013"
	codeFieldMissing      = "-2001"
	codeFieldEmpty        = "-2002"
	codeFieldTooLong      = "-2003"
	codeMIDNotFound       = "-2005"
	codeBadCardNo         = "-2006"
	codeBadExpDate        = "-2007"
	codeBadPayerEmail     = "-2009"
	codeBadTxnType        = "-2010"
	codeNoTokenization    = "-2011"
	codeBadSignature      = "-2012"
	codeRemoveNeedsDirect = "-2013"
	codeTokenNotFound     = "-2015"
	codePayerIDUsed       = "-2016"
	codeNeedCardOrWallet  = "-2019"
	codeDuplicateOrderID  = "-2201"
	codeCardTokenised     = "-3001"

	// Payment API (RDP-483); the same numbers can mean other things there.
	codePayTokenNotAllowed = "-100"
	codePayMIDNotFound     = "-1002"
	codePayBadSignature    = "-1003"
	codePayBadAPIMode      = "-1005"
	codePayModeNotSetUp    = "-1006"
	codePayBadPaymentType  = "-1011"
	codePayTooLong         = "-1014"
	codePayBadFormat       = "-1015"
	codePayBadCurrency     = "-1016"
	codePayNeedsInstrument = "-1104"

	// Query APIs: an unknown transaction (RDP-483's -1008).
	codeQueryNotFound = "-1008"
)

// apiError is a rejected request, answered in RDP's error shape without a
// signature: {"response_status":"error","response_code":…,"response_msg":…}.
type apiError struct {
	Code string
	Msg  string
}

// Error returns the code and message.
func (e *apiError) Error() string { return e.Code + ": " + e.Msg }

// reject builds an apiError with a formatted message.
func reject(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// errorBody is RDP's error answer.
type errorBody struct {
	ResponseStatus string `json:"response_status"`
	ResponseCode   string `json:"response_code"`
	ResponseMsg    string `json:"response_msg"`
}

// writeAPIError answers e in RDP's error shape.
func writeAPIError(w http.ResponseWriter, e *apiError) {
	body, _ := json.Marshal(errorBody{ResponseStatus: "error", ResponseCode: e.Code, ResponseMsg: e.Msg})
	writeBody(w, body)
}
