package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/payhost/payhost/api"
)

// idempotencyKeyHeader carries a write's idempotency key.
const idempotencyKeyHeader = "Idempotency-Key"

// maxIdempotencyKeyLen bounds an idempotency key.
const maxIdempotencyKeyLen = 255

// call is one authenticated merchant request, as its operation sees it.
type call struct {
	w        http.ResponseWriter
	r        *http.Request
	h        *handler
	merchant string
	// opts pass the request id and, on writes, the idempotency key.
	opts []api.CallOption
}

// ctx is the request's context.
func (c *call) ctx() context.Context { return c.r.Context() }

// id is the {id} of the path.
func (c *call) id() string { return c.r.PathValue("id") }

// decode reads the JSON body into dst (see decodeJSON).
func (c *call) decode(dst any, empty emptyBody) error {
	return decodeJSON(c.w, c.r, c.h.opts.MaxBodyBytes, dst, empty)
}

// operation serves one merchant endpoint: it returns the status and body
// of success, or the error to answer.
type operation func(c *call) (status int, body any, err error)

// merchant authenticates the request, reads its Idempotency-Key, runs op
// and answers.
func (h *handler) merchant(op operation) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := requestOf(r)
		id, err := h.authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="payhost"`)
			h.fail(w, r, err)
			return
		}
		req.merchant = id
		c := &call{w: w, r: r, h: h, merchant: id, opts: []api.CallOption{api.WithRequestID(req.id)}}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			key, err := idempotencyKey(r)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if key != "" {
				c.opts = append(c.opts, api.WithIdempotencyKey(key))
			}
		}
		status, body, err := op(c)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.writeJSON(w, r, status, body)
	}
}

// authenticate returns the merchant whose key the Authorization header
// bears. Neither the key nor the header is ever put in an error.
func (h *handler) authenticate(r *http.Request) (string, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return "", api.Errorf(api.CodeAuthentication, "Authorization", "no API key: send the header Authorization: Bearer <api key>")
	}
	scheme, key, _ := strings.Cut(auth, " ")
	key = strings.TrimSpace(key)
	if !strings.EqualFold(scheme, "Bearer") || key == "" {
		return "", api.Errorf(api.CodeAuthentication, "Authorization", "the Authorization header must be Bearer <api key>")
	}
	id, ok := h.svc.Merchant(key)
	if !ok {
		return "", api.Errorf(api.CodeAuthentication, "Authorization", "the API key is not valid")
	}
	return id, nil
}

// idempotencyKey returns r's Idempotency-Key, "" when it has none.
func idempotencyKey(r *http.Request) (string, error) {
	values, ok := r.Header[idempotencyKeyHeader]
	if !ok {
		return "", nil
	}
	if len(values) > 1 {
		return "", api.Errorf(api.CodeInvalidRequest, idempotencyKeyHeader, "send one Idempotency-Key header, not %d", len(values))
	}
	key := values[0]
	if key == "" || len(key) > maxIdempotencyKeyLen || !printableASCII(key) {
		return "", api.Errorf(api.CodeInvalidRequest, idempotencyKeyHeader,
			"Idempotency-Key must be 1 to %d printable ASCII characters; a UUID is a good key", maxIdempotencyKeyLen)
	}
	return key, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
