package appotapay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/httpcall"
)

// jwtHeader is the JWT header AppotaPay requires, members in this order
// (GATEWAYS.md §2.3, vector AP-1).
const jwtHeader = `{"typ":"JWT","alg":"HS256","cty":"appotapay-api;v=1"}`

// jwtClaims are the claims, in the order AppotaPay's examples write them:
// iss is the partner code, jti the API key and the unix time, exp the
// expiry in unix seconds.
type jwtClaims struct {
	Iss    string `json:"iss"`
	Jti    string `json:"jti"`
	APIKey string `json:"api_key"`
	Exp    int64  `json:"exp"`
}

// makeJWT returns the HS256 JWT of partnerCode and apiKey, issued at now
// and valid for ttl, signed with secret.
func makeJWT(partnerCode string, apiKey, secret plugin.Secret, now time.Time, ttl time.Duration) string {
	claims, err := json.Marshal(jwtClaims{
		Iss:    partnerCode,
		Jti:    apiKey.Reveal() + "-" + strconv.FormatInt(now.Unix(), 10),
		APIKey: apiKey.Reveal(),
		Exp:    now.Add(ttl).Unix(),
	})
	if err != nil {
		// Strings and an integer always marshal.
		panic("appotapay: encoding JWT claims: " + err.Error())
	}
	enc := base64.RawURLEncoding
	unsigned := enc.EncodeToString([]byte(jwtHeader)) + "." + enc.EncodeToString(claims)
	return unsigned + "." + enc.EncodeToString(hmacSHA256(secret, unsigned))
}

// canonical joins params sorted by key as k1=v1&k2=v2: values raw (not
// URL-encoded), empty ones kept as "k=".
func canonical(params []param) string {
	sorted := slices.Clone(params)
	slices.SortFunc(sorted, func(a, b param) int { return strings.Compare(a.key, b.key) })
	var b strings.Builder
	for i, p := range sorted {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// sign is the lowercase hex HMAC-SHA256 of the canonical string of params.
func sign(secret plugin.Secret, params []param) string {
	return hex.EncodeToString(hmacSHA256(secret, canonical(params)))
}

// verify reports, in constant time, whether signature (hex, either case)
// signs params.
func verify(secret plugin.Secret, params []param, signature string) bool {
	return verifyMessage(secret, canonical(params), signature)
}

// verifyMessage reports, in constant time, whether signature (hex, either
// case) is the HMAC-SHA256 of message.
func verifyMessage(secret plugin.Secret, message, signature string) bool {
	got, err := hex.DecodeString(signature)
	return err == nil && hmac.Equal(got, hmacSHA256(secret, message))
}

func hmacSHA256(secret plugin.Secret, message string) []byte {
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write([]byte(message))
	return mac.Sum(nil)
}

// operation is one kind of call to AppotaPay; it names the call in errors
// and decides what a rejection code means for it.
type operation string

const (
	opCreate       operation = "create payment"
	opStatus       operation = "payment status"
	opRefund       operation = "refund"
	opRefundLookup operation = "refund status"
)

// client calls AppotaPay for one configured instance.
type client struct {
	cfg  *settings
	http *http.Client
	now  func() time.Time
}

// newClient returns a client for cfg; transport nil means
// httpcall.NewTransport.
func newClient(cfg *settings, transport http.RoundTripper, now func() time.Time) *client {
	if transport == nil {
		transport = httpcall.NewTransport()
	}
	return &client{
		cfg: cfg,
		http: &http.Client{
			Timeout:   cfg.timeout,
			Transport: transport,
			// A redirect from the API is unexpected: see it, do not follow it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		now: now,
	}
}

// call sends one API request (body nil for none) with the JWT and decodes
// a 2xx answer into out. Failures come back as *plugin.Error: transport
// failures as httpcall classifies them, 4xx rejections by their errorCode
// (see rejectionError), anything else as unknown_outcome.
func (c *client) call(ctx context.Context, op operation, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := marshal(body)
		if err != nil {
			return &plugin.Error{Kind: plugin.KindInternal, Message: fmt.Sprintf("%s: encoding the request: %v", op, err)}
		}
		rd = bytes.NewReader(b)
	}
	req, err := c.newRequest(ctx, method, path, rd)
	if err != nil {
		return &plugin.Error{Kind: plugin.KindInternal, Message: fmt.Sprintf("%s: building the request: %v", op, err)}
	}
	resp, err := httpcall.Do(c.http, req, string(op))
	if err != nil {
		return err
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return httpcall.DecodeJSON(resp, out, string(op))
	case resp.StatusCode >= 400 && resp.StatusCode <= 499:
		return rejectedHTTP(op, resp)
	default:
		return plugin.UnknownOutcome(nil, "%s: the gateway answered HTTP %d", op, resp.StatusCode)
	}
}

// newRequest builds an API request with AppotaPay's headers.
func (c *client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.endpoint+path, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	// v1.x documents "Bearer <jwt>", v2 the bare token.
	token := makeJWT(c.cfg.partnerCode, c.cfg.apiKey, c.cfg.secretKey, c.now(), c.cfg.jwtTTL)
	if c.cfg.version != version2 {
		token = "Bearer " + token
	}
	req.Header.Set(authHeader, token)
	return req, nil
}

// rejectedHTTP turns a 4xx answer into an error: by its errorCode when the
// body has one (naming the field v2's errors list names), else by the
// HTTP status.
func rejectedHTTP(op operation, resp *httpcall.Response) error {
	var r rejection
	if json.Unmarshal(resp.Body, &r) == nil && r.ErrorCode != "" {
		e := rejectionError(op, r.ErrorCode.String(), r.Message)
		if e.Kind == plugin.KindInvalidRequest && len(r.Errors) > 0 {
			if p := fieldParam(r.Errors[0].Field); p != "" {
				e.Param = p
			}
		}
		return e
	}
	code := "HTTP " + strconv.Itoa(resp.StatusCode)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return plugin.AuthenticationFailed(code, fmt.Sprintf("%s: AppotaPay refused the credentials (HTTP %d)", op, resp.StatusCode))
	}
	return plugin.GatewayError(plugin.KindInvalidRequest, code, fmt.Sprintf("%s: AppotaPay refused the request (HTTP %d)", op, resp.StatusCode))
}

// marshal encodes v as compact JSON without HTML escaping, so that URLs
// travel as written.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
