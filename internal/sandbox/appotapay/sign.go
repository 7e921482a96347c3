package appotapay

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The keys each v1.x parameter signature covers, in the sorted order they
// are joined in (GATEWAYS.md §2.3). A test checks that each list is sorted.
var (
	// createKeys is a v1.0 or v1.1 create-payment request (vector AP-2).
	createKeys = []string{"amount", "bankCode", "clientIp", "extraData", "notifyUrl", "orderId", "orderInfo", "paymentMethod", "redirectUrl"}
	// createTokenKeys is a v1.1 request that sends a token (vector AP-3).
	createTokenKeys = append(append([]string(nil), createKeys...), "token")
	// createResponseKeys is the create-payment answer.
	createResponseKeys = []string{"amount", "errorCode", "message", "orderId", "paymentUrl"}
	// resultKeys is a transaction result: the IPN, the redirect query and
	// the status answer (vector AP-5).
	resultKeys = []string{"amount", "apiKey", "appotapayTransId", "bankCode", "currency", "errorCode", "extraData", "message", "orderId", "partnerCode", "paymentMethod", "paymentType", "transactionTs"}
	// statusKeys is a status-check request (vector AP-6).
	statusKeys = []string{"orderId"}
	// refundKeys is a refund request (vector AP-7).
	refundKeys = []string{"amount", "appotapayTransId", "reason", "refundId"}
	// refundResponseKeys is a refund answer.
	refundResponseKeys = []string{"amount", "appotapayTransId", "errorCode", "reason", "refundId", "refundOriginalId", "status", "transactionTs"}
)

// canonical joins keys and their values as k1=v1&k2=v2&..., in the order
// given. Values are not URL-encoded and empty values stay as "key=".
func canonical(keys []string, values map[string]string) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(values[k])
	}
	return b.String()
}

// hmacHex is the lowercase hex HMAC-SHA256 of message under secret.
func hmacHex(secret, message string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(message))
	return hex.EncodeToString(mac.Sum(nil))
}

// signFields signs the canonical string of keys and values.
func signFields(secret string, keys []string, values map[string]string) string {
	return hmacHex(secret, canonical(keys, values))
}

// verifyHex reports, in constant time, whether signature (hex, either
// case) is the HMAC-SHA256 of message under secret.
func verifyHex(secret, message, signature string) bool {
	got, err := hex.DecodeString(signature)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(message))
	return hmac.Equal(got, mac.Sum(nil))
}

// isHexDigest reports whether s is a hex-encoded SHA-256 digest.
func isHexDigest(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size
}
