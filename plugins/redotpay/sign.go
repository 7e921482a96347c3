package redotpay

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
)

// The signature schemes, written from GATEWAYS.md §1.3 and checked by
// known-answer tests against vectors and S-1. Their errors never
// carry key material or signature values.

// errSignature is every signature that does not verify.
var errSignature = errors.New("signature does not verify")

// requestStringToSign is what a merchant signs for a Connect call:
// UPPER(method) + " " + path + "\n" + appKey + "." + tsMs + "." + body,
// path without host or query, body the exact bytes sent.
func requestStringToSign(method, path, appKey, ts string, body []byte) []byte {
	head := strings.ToUpper(method) + " " + path + "\n"
	return append([]byte(head), webhookStringToVerify(appKey, ts, body)...)
}

// webhookStringToVerify is what RedotPay signs for a webhook:
// appKey + "." + X-R-Ts + "." + rawBody.
func webhookStringToVerify(appKey, ts string, body []byte) []byte {
	msg := make([]byte, 0, len(appKey)+len(ts)+len(body)+2)
	msg = append(msg, appKey...)
	msg = append(msg, '.')
	msg = append(msg, ts...)
	msg = append(msg, '.')
	return append(msg, body...)
}

// signRSA returns the standard-Base64 SHA256withRSA (PKCS#1 v1.5)
// signature of msg. PKCS#1 v1.5 is deterministic: the same key and message
// always give the same signature.
func signRSA(key *rsa.PrivateKey, msg []byte) (string, error) {
	digest := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// verifyRSA checks a Base64 SHA256withRSA signature over msg. A header
// that arrives percent-encoded, as one known client sends it, is decoded
// first (GATEWAYS.md §1.3, item 6).
func verifyRSA(key *rsa.PublicKey, msg []byte, header string) error {
	if strings.Contains(header, "%") {
		// PathUnescape keeps '+', a Base64 digit.
		unescaped, err := url.PathUnescape(header)
		if err != nil {
			return errSignature
		}
		header = unescaped
	}
	sig, err := base64.StdEncoding.DecodeString(header)
	if err != nil {
		return errSignature
	}
	digest := sha256.Sum256(msg)
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) != nil {
		return errSignature
	}
	return nil
}

// seedSignedFields are the values the seed's callback signature covers,
// in signing order; Amount is the amount's text exactly as it appears in
// the callback.
type seedSignedFields struct {
	MerchantCode, OrderSn, RefNo, Amount, Currency, Status string
}

// seedSignature is the seed callback's signature read as vector S-1:
// lowercase hex HMAC-SHA256, key = secret, message = secret + merchant_code
// + order_sn + ref_no + amount + currency + status.
func seedSignature(secret string, f seedSignedFields) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	for _, part := range []string{secret, f.MerchantCode, f.OrderSn, f.RefNo, f.Amount, f.Currency, f.Status} {
		mac.Write([]byte(part))
	}
	return mac.Sum(nil)
}

// verifySeedSignature compares a callback's hex signature with the
// expected one in constant time.
func verifySeedSignature(secret string, f seedSignedFields, signature string) error {
	got, err := hex.DecodeString(signature)
	if err != nil || !hmac.Equal(got, seedSignature(secret, f)) {
		return errSignature
	}
	return nil
}
