package redotpay

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Signature errors. Handlers map them to the profile's error codes; their
// text never includes key material.
var (
	errBadSignature      = errors.New("X-R-Signature")
	errSignatureMissing  = fmt.Errorf("%w: is missing", errBadSignature)
	errSignatureEncoding = fmt.Errorf("%w: is not valid base64", errBadSignature)
	errSignatureMismatch = fmt.Errorf("%w: does not verify with the registered public key", errBadSignature)
)

// requestStringToSign is what a merchant signs for a Connect API call:
// UPPER(method) + " " + uri + "\n" + appKey + "." + tsMs + "." + rawBody,
// where uri is the path only (GATEWAYS.md §1.3).
func requestStringToSign(method, uri, appKey, ts string, body []byte) []byte {
	line := strings.ToUpper(method) + " " + uri + "\n"
	return append([]byte(line), webhookStringToSign(appKey, ts, body)...)
}

// webhookStringToSign is what the platform signs for a webhook:
// appKey + "." + X-R-Ts + "." + rawBody (no method/URI line).
func webhookStringToSign(appKey, ts string, body []byte) []byte {
	msg := make([]byte, 0, len(appKey)+len(ts)+len(body)+2)
	msg = append(msg, appKey...)
	msg = append(msg, '.')
	msg = append(msg, ts...)
	msg = append(msg, '.')
	return append(msg, body...)
}

// signRSA signs msg with SHA256withRSA (PKCS#1 v1.5) and returns standard
// Base64, the form RedotPay sends in X-R-Signature.
func signRSA(key *rsa.PrivateKey, msg []byte) (string, error) {
	digest := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// verifyRSA checks a Base64 SHA256withRSA signature over msg. The header
// value may also arrive percent-encoded, as one known client sends it.
func verifyRSA(key *rsa.PublicKey, msg []byte, header string) error {
	if header == "" {
		return errSignatureMissing
	}
	if strings.Contains(header, "%") {
		// PathUnescape keeps '+' (a Base64 digit) instead of turning it
		// into a space as QueryUnescape would.
		unescaped, err := url.PathUnescape(header)
		if err != nil {
			return errSignatureEncoding
		}
		header = unescaped
	}
	sig, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return errSignatureEncoding
	}
	digest := sha256.Sum256(msg)
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) != nil {
		return errSignatureMismatch
	}
	return nil
}

// seedCallback holds the values the seed profile's callback signature
// covers, in signing order.
type seedCallback struct {
	MerchantCode, OrderSn, RefNo, Amount, Currency, Status string
}

// seedSignature is the seed profile's callback signature, read as vector
// S-1: lowercase hex HMAC-SHA256 with key = secret over
// secret + merchant_code + order_sn + ref_no + amount + currency + status.
func seedSignature(secret string, c seedCallback) string {
	mac := hmac.New(sha256.New, []byte(secret))
	for _, part := range []string{secret, c.MerchantCode, c.OrderSn, c.RefNo, c.Amount, c.Currency, c.Status} {
		mac.Write([]byte(part))
	}
	return hex.EncodeToString(mac.Sum(nil))
}
