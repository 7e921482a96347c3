package reddot

import (
	"encoding/json"
	"net/http"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// authCodes are the codes one API answers for an unknown MID and for a
// bad signature.
type authCodes struct {
	unknownMID, badSignature string
}

var (
	tokenAuthCodes   = authCodes{unknownMID: codeMIDNotFound, badSignature: codeBadSignature}
	paymentAuthCodes = authCodes{unknownMID: codePayMIDNotFound, badSignature: codePayBadSignature}
	queryAuthCodes   = authCodes{unknownMID: codeMIDNotFound, badSignature: codeBadSignature}
)

// authenticate finds the merchant named by p[midField] and verifies p's
// signature with sign and that merchant's secret.
func (s *Server) authenticate(p params, midField string, codes authCodes, sign func(params, string) string) (Merchant, *apiError) {
	if e := checkFields(p, []field{{midField, true, 20}, {"signature", true, 128}}, tokenFieldCodes); e != nil {
		return Merchant{}, e
	}
	m, ok := s.merchant(p.str(midField))
	if !ok {
		return Merchant{}, reject(codes.unknownMID, "%s %s is not found", midField, p.str(midField))
	}
	if !signatureMatches(p.str("signature"), sign(p, m.Secret)) {
		return m, reject(codes.badSignature, "invalid signature")
	}
	return m, nil
}

// signedBody encodes v as JSON with a "signature" member: sign_generic,
// with secret, over exactly what is sent.
func signedBody(v any, secret string) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		panic("reddot: encoding a response: " + err.Error())
	}
	p, err := parseParams(raw)
	if err != nil || len(p) == 0 {
		panic("reddot: a response is not a non-empty JSON object")
	}
	// Append the signature member inside the closing brace; the hex digest
	// needs no escaping.
	body := make([]byte, 0, len(raw)+len(`,"signature":""`)+128)
	body = append(body, raw[:len(raw)-1]...)
	body = append(body, `,"signature":"`...)
	body = append(body, signGeneric(p, secret)...)
	return append(body, `"}`...)
}

// writeSigned answers v signed with secret.
func writeSigned(w http.ResponseWriter, v any, secret string) {
	writeBody(w, signedBody(v, secret))
}

// writeBody answers a JSON body with status 200: RDP reports failures in
// the body, not in the status.
func writeBody(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

// notification is one push notification to send once the store's lock
// is released.
type notification struct {
	id, url string
	body    []byte
}

// notify queues n for delivery, retried with the configured policy until
// the merchant answers HTTP 200 (RDP-613, RDP-514). A zero n is ignored.
func (s *Server) notify(n notification) {
	if n.url == "" {
		return
	}
	s.kit.Callbacks.Send(emukit.Callback{
		ID:     n.id,
		URL:    n.url,
		Header: http.Header{"Content-Type": {callbackContentType}},
		Body:   n.body,
		Acked:  func(status int, _ []byte) bool { return status == http.StatusOK },
	})
}
