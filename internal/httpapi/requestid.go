package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// requestIDHeader carries the request id both ways.
const requestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an accepted X-Request-Id.
const maxRequestIDLen = 128

// requestID returns r's X-Request-Id when it is one a log can carry safely,
// else a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get(requestIDHeader); validRequestID(id) {
		return id
	}
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return "req_" + hex.EncodeToString(b[:])
}

// validRequestID reports whether id is 1 to maxRequestIDLen characters of
// letters, digits and ._:+/=- .
func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == ':', c == '+', c == '/', c == '=', c == '-':
		default:
			return false
		}
	}
	return true
}
