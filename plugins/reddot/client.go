package reddot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/httpcall"
)

// RDP's paths under the endpoint (§3.1).
const (
	pathTokenAPI     = "/service/token-api"
	pathPaymentAPI   = "/service/payment-api"
	pathQueryToken   = "/service/Merchant_processor/query_token_redirection"
	pathQueryPayment = "/service/Merchant_processor/query_redirection"
)

// Content types of the requests.
const (
	contentJSON = "application/json"
	contentForm = "application/x-www-form-urlencoded"
)

// client makes one instance's calls to RDP: it signs, sends, and checks
// the signature of what comes back.
type client struct {
	cfg  *config
	http *http.Client
}

// answer is one JSON object RDP sent, as an answer or a notification: its
// fields decoded for the signature check (numbers kept exact), and the
// body for the typed view.
type answer struct {
	fields map[string]any
	body   []byte
}

// parseAnswer decodes an RDP JSON object.
func parseAnswer(body []byte) (answer, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var fields map[string]any
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.More() {
		return answer{}, fmt.Errorf("not a JSON object")
	}
	return answer{fields: fields, body: body}, nil
}

// decode reads the answer into a wire struct.
func (a answer) decode(v any) error { return json.Unmarshal(a.body, v) }

// signature is the answer's signature, "" when there is none.
func (a answer) signature() string { return phpString(scalar(a.fields["signature"])) }

// scalar keeps scalar values and turns objects and arrays into nil.
func scalar(v any) any {
	switch v.(type) {
	case map[string]any, []any:
		return nil
	}
	return v
}

// sendJSON posts a signed request struct as JSON to path and reads RDP's
// answer into v. what names the call in errors.
func (c *client) sendJSON(ctx context.Context, path string, request, v any, what string) (answer, error) {
	return c.send(ctx, c.cfg.endpoint+path, contentJSON, encodeJSON(request), v, what)
}

// encodeJSON encodes a request struct; a struct of strings always
// encodes.
func encodeJSON(request any) []byte {
	b, err := json.Marshal(request)
	if err != nil {
		panic("reddot: encoding a request: " + err.Error())
	}
	return b
}

// send posts body and decodes the JSON answer into v. Failures are
// classified by httpcall; an answer that is not the JSON object expected
// is an unknown outcome.
func (c *client) send(ctx context.Context, url, contentType string, body []byte, v any, what string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return answer{}, plugin.NotSent(err, "%s: building the request: %v", what, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", contentJSON)
	resp, err := httpcall.Do(c.http, req, what)
	if err != nil {
		return answer{}, err
	}
	if resp.StatusCode != http.StatusOK {
		// RDP answers 200 even to refused requests; a 3xx or 4xx means the
		// request was turned away before RDP's application saw it.
		kind := plugin.KindInvalidRequest
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			kind = plugin.KindAuthentication
		}
		return answer{}, plugin.GatewayError(kind, "HTTP "+strconv.Itoa(resp.StatusCode), what+": RDP refused the request with HTTP "+strconv.Itoa(resp.StatusCode))
	}
	a, err := parseAnswer(resp.Body)
	if err == nil {
		err = a.decode(v)
	}
	if err != nil {
		return answer{}, plugin.UnknownOutcome(err, "%s: RDP's answer is not the JSON object expected: %v", what, err)
	}
	return a, nil
}

// genericSignature is sign_generic over exactly the JSON a request struct
// encodes to, its (still empty) signature left out.
func genericSignature(request any, secret plugin.Secret) string {
	a, err := parseAnswer(encodeJSON(request))
	if err != nil {
		panic("reddot: a request is not a JSON object")
	}
	return signGeneric(a.fields, secret.Reveal())
}

// verifyGeneric checks the sign_generic signature of an answer RDP gave
// to mid. A signature that is there must verify; a success (response_code
// "0") must be signed; error answers may come unsigned (§3.5). A failed
// check is an unknown outcome: RDP may have acted, but this answer cannot
// say so.
func (c *client) verifyGeneric(a answer, code text, mid, what string) error {
	secret, ok := c.cfg.secretOf(mid)
	if !ok {
		return plugin.UnknownOutcome(nil, "%s: RDP answered for mid %s, which has no secret in this instance", what, mid)
	}
	return checkSignature(a.signature(), code == codeOK, signGeneric(a.fields, secret.Reveal()), mid, what, plugin.KindUnknownOutcome)
}

// checkSignature compares a received signature with the expected one.
// mustSign says whether the message must be signed; failures are of kind.
// Messages never show either signature.
func checkSignature(got string, mustSign bool, want, mid, what string, kind plugin.ErrorKind) error {
	switch {
	case got == "" && mustSign:
		return &plugin.Error{Kind: kind, Message: fmt.Sprintf("%s: RDP's message carries no signature, which it must", what)}
	case got != "" && !sameSignature(got, want):
		return &plugin.Error{Kind: kind, Message: fmt.Sprintf("%s: the signature does not verify with the secret of mid %s", what, mid)}
	}
	return nil
}

// result is an answer struct of the query APIs.
type result[T any] interface {
	*T
	status() *answerStatus
}

// query asks one of the query APIs for a transaction, trying each of mids
// until one knows it (queries change nothing, so trying is safe). It
// returns the MID that knew it and its verified answer, or a not-found
// error (not_found with RDP's code, -1008 or -1009) when none did: a
// caller that is not a payment status query converts it with
// plugin.NotFoundAsInvalid, as every other call that looks a transaction
// up (capture, void, refund, the token calls) names one RDP does not have.
func query[T any, PT result[T]](ctx context.Context, c *client, path string, mids []string, transactionID, what string) (string, *T, error) {
	var notFound error
	for _, mid := range mids {
		secret, _ := c.cfg.secretOf(mid)
		req := queryRequest{RequestMID: mid, TransactionID: transactionID}
		req.Signature = genericSignature(req, secret)
		v := PT(new(T))
		a, err := c.sendJSON(ctx, path, req, v, what)
		if err != nil {
			return "", nil, err
		}
		st := v.status()
		if err := c.verifyGeneric(a, st.ResponseCode, mid, what); err != nil {
			return "", nil, err
		}
		switch {
		case isNotFound(st.ResponseCode):
			notFound = plugin.NotFound(string(st.ResponseCode),
				fmt.Sprintf("%s: RDP has no transaction %s (%s)", what, transactionID, st.ResponseMsg))
			continue
		case st.isError():
			return "", nil, gatewayError(queryAPI, st.ResponseCode, st.ResponseMsg, what)
		}
		return mid, (*T)(v), nil
	}
	return "", nil, notFound
}

// status gives query the common fields of an answer.
func (s *answerStatus) status() *answerStatus { return s }

// isError reports whether an answer is RDP's error shape:
// response_status "error".
func (s *answerStatus) isError() bool { return strings.EqualFold(string(s.ResponseStatus), "error") }
