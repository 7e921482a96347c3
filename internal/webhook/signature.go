package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The headers of a webhook request besides Content-Type and User-Agent.
const (
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256>".
	SignatureHeader = "Payhost-Signature"
	// EventIDHeader carries the event's id ("evt_…"), the same on every
	// attempt, so that a merchant can drop a repeated delivery before
	// parsing the body.
	EventIDHeader = "Payhost-Event-Id"
)

// DefaultTolerance is the tolerance Verify applies when given zero: how far
// a signature's timestamp may be from the merchant's clock.
const DefaultTolerance = 5 * time.Minute

// The errors Verify returns; none of them says anything about the secret.
var (
	// ErrNoSignature: the header is empty or carries no v1 signature.
	ErrNoSignature = errors.New("webhook: no " + SignatureHeader + " v1 signature")
	// ErrBadHeader: the header is not "t=<unix>,v1=<hex>[,v1=<hex>…]".
	ErrBadHeader = errors.New("webhook: malformed " + SignatureHeader + " header")
	// ErrSignatureMismatch: no v1 signature is the HMAC of this body and
	// timestamp under this secret.
	ErrSignatureMismatch = errors.New("webhook: no signature matches the body")
	// ErrTimestampOutOfTolerance: the signature is genuine but its
	// timestamp is further from now than the tolerance (a replay, or a
	// clock far off).
	ErrTimestampOutOfTolerance = errors.New("webhook: signature timestamp outside the tolerance")
)

// Sign returns the Payhost-Signature header value for body signed with
// secret at time t: "t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>." + body)>". The dispatcher signs every attempt this way; merchants
// can use it to make signed payloads in their own tests.
func Sign(secret string, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// Verify checks a webhook request: header is its Payhost-Signature and
// body its raw body, byte for byte as received (before any JSON decoding).
// It succeeds when one of the header's v1 signatures (the sender may send
// several while it rotates secrets) is the HMAC of the header's timestamp
// and body under secret, compared in constant time, and the timestamp is
// within tolerance of now; a tolerance of zero or less means
// DefaultTolerance. It returns one of the package's sentinel errors.
//
// Keep the event ids already processed too: a verified event may still be
// delivered again (deliveries are at least once).
func Verify(secret string, header string, body []byte, tolerance time.Duration) error {
	return verifyAt(secret, header, body, tolerance, time.Now())
}

// verifyAt is Verify with the merchant's clock reading now.
func verifyAt(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	ts, sigs, err := parseHeader(header)
	if err != nil {
		return err
	}
	want := mac(secret, ts, body)
	matched := false
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		// Compare every candidate, so that the time taken says nothing
		// about which one matched.
		if err == nil && hmac.Equal(got, want) {
			matched = true
		}
	}
	if !matched {
		return ErrSignatureMismatch
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	t, _ := strconv.ParseInt(ts, 10, 64) // parseHeader checked it
	if skew := now.Sub(time.Unix(t, 0)).Abs(); skew > tolerance {
		return ErrTimestampOutOfTolerance
	}
	return nil
}

// parseHeader splits "t=<unix>,v1=<hex>,…" into the timestamp, as sent,
// and the v1 signatures. Other keys are skipped, so that a later scheme
// (v2) can be sent beside v1.
func parseHeader(header string) (ts string, sigs []string, err error) {
	if strings.TrimSpace(header) == "" {
		return "", nil, ErrNoSignature
	}
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", nil, ErrBadHeader
		}
		switch k {
		case "t":
			if ts != "" {
				return "", nil, ErrBadHeader
			}
			if _, err := strconv.ParseUint(v, 10, 63); err != nil {
				return "", nil, ErrBadHeader
			}
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	switch {
	case ts == "":
		return "", nil, ErrBadHeader
	case len(sigs) == 0:
		return "", nil, ErrNoSignature
	}
	return ts, sigs, nil
}

// mac is HMAC-SHA256(secret, ts + "." + body).
func mac(secret, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}
