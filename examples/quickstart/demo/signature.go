package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// This file is how a merchant checks payhost's webhooks, written out
// from the documented scheme rather than imported, so that it can be
// read and copied into a shop in any language:
//
//	Payhost-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>
//
// There may be several v1 values (while a secret is being rotated): one
// matching is enough. (payhost's own Go implementation is
// internal/webhook's Verify; signature_test.go checks that the two agree.)

// signatureTolerance is how far the signature's timestamp may be from our
// clock: an older event is a replay, or a clock that is far off.
const signatureTolerance = 5 * time.Minute

var (
	errNoSignature    = errors.New("no Payhost-Signature v1 signature")
	errBadSignature   = errors.New("malformed Payhost-Signature header")
	errWrongSignature = errors.New("the signature does not match the body")
	errStale          = errors.New("the signature's timestamp is outside the tolerance")
)

// verifySignature checks header (the Payhost-Signature value) against
// body, the request body byte for byte as received: verify before
// decoding the JSON, never after re-encoding it.
func verifySignature(secret, header string, body []byte, now time.Time) error {
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return errBadSignature
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil {
				return errBadSignature
			}
			sigs = append(sigs, sig)
		}
	}
	if len(sigs) == 0 {
		return errNoSignature
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBadSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	matched := false
	for _, sig := range sigs {
		// hmac.Equal takes the same time whatever the bytes: comparing
		// with == would tell an attacker how much of a guess is right.
		if hmac.Equal(sig, want) {
			matched = true
		}
	}
	if !matched {
		return errWrongSignature
	}
	if now.Sub(time.Unix(t, 0)).Abs() > signatureTolerance {
		return errStale
	}
	return nil
}
