package httpcall

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/payhost/payhost/plugin"
)

// DefaultMaxBody bounds the answer bodies Do reads.
const DefaultMaxBody = 4 << 20

// Response is a gateway's complete answer.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Do sends req with client and reads the whole answer. It returns the
// Response for every status below 500 except 429; otherwise a *plugin.Error
// whose kind says whether the gateway may have acted (see the package
// documentation). what names the call in error messages ("create order").
func Do(client *http.Client, req *http.Request, what string) (*Response, error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			// A write that failed part-way may still have reached the
			// gateway; count any attempt to finish writing as sent.
			wrote.Store(true)
		},
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := client.Do(req)
	if err != nil {
		if !wrote.Load() {
			return nil, plugin.NotSent(err, "%s: the request did not reach the gateway: %s", what, describe(err))
		}
		return nil, plugin.UnknownOutcome(err, "%s: no answer after the request was sent: %s", what, describe(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, DefaultMaxBody))
	if err != nil {
		return nil, plugin.UnknownOutcome(err, "%s: the answer was cut off (HTTP %d): %s", what, resp.StatusCode, describe(err))
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return nil, &plugin.Error{
			Kind: plugin.KindRateLimited, Code: strconv.Itoa(resp.StatusCode),
			Message:    what + ": the gateway asked to slow down (HTTP 429)",
			RetryAfter: retryAfter(resp.Header.Get("Retry-After")),
		}
	case resp.StatusCode >= 500:
		return nil, &plugin.Error{
			Kind: plugin.KindUnknownOutcome, Code: strconv.Itoa(resp.StatusCode),
			Message: fmt.Sprintf("%s: the gateway answered HTTP %d; it may have acted", what, resp.StatusCode),
		}
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// DecodeJSON decodes the answer's body into v, keeping numbers exact
// (json.Number where v holds interfaces). A body that does not decode is an
// unknown outcome: the gateway answered, but nobody can tell what it said.
func DecodeJSON(resp *Response, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(resp.Body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return plugin.UnknownOutcome(err, "%s: the gateway's answer (HTTP %d) is not the JSON expected: %v", what, resp.StatusCode, err)
	}
	return nil
}

// describe turns transport errors into a short sentence.
func describe(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

// retryAfter reads a Retry-After header in seconds; dates and junk give 0.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// NewTransport returns an http.Transport for a provider's calls to its
// gateway: Go's defaults, except that it keeps enough idle connections per
// host for a busy payment host (Go keeps two), so that concurrent payments
// reuse connections instead of opening one each. Make one per configured
// instance and keep it.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return t
}
