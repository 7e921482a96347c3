package redotpay

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/httpcall"
)

// userAgent names the provider in every call.
const userAgent = "payhost-provider-redotpay/" + Version

// client is one instance's HTTP access to the gateway; the protocols add
// their authentication to each request. Failures are classified by
// httpcall: never sent, or sent with an unknown outcome.
type client struct {
	base *url.URL
	http *http.Client
}

func newClient(base *url.URL, timeout time.Duration) *client {
	return &client{base: base, http: &http.Client{Timeout: timeout, Transport: httpcall.NewTransport()}}
}

// authenticator adds a protocol's credentials to a request whose body is
// body (the exact bytes sent).
type authenticator func(req *http.Request, body []byte) error

// do sends one call: method on path (below the endpoint's own path) with
// query and body, authenticated by auth. what names the call in errors
// and logs. Answers below HTTP 500 are returned for the protocol to read.
func (c *client) do(ctx context.Context, method, path string, query url.Values, body []byte, auth authenticator, what string) (*httpcall.Response, error) {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reader)
	if err != nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: what + ": building the request failed", Err: err}
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if err := auth(req, body); err != nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: what + ": signing the request failed", Err: err}
	}
	log := plugin.Logger(ctx)
	log.Debug("calling the gateway", "call", what, "method", method, "path", u.Path)
	resp, err := httpcall.Do(c.http, req, what)
	if err != nil {
		log.Warn("gateway call failed", "call", what, "kind", plugin.KindOf(err), "error", err)
		return nil, err
	}
	log.Debug("gateway answered", "call", what, "status", resp.StatusCode)
	return resp, nil
}

// encodeBody encodes v as compact JSON without HTML escaping: the exact
// bytes that are sent and, in Connect, signed.
func encodeBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, &plugin.Error{Kind: plugin.KindInternal, Message: "encoding the request body failed", Err: err}
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeData decodes the data of a successful answer; an answer without
// the data expected is an unknown outcome, as any unreadable answer.
func decodeData(resp *httpcall.Response, data json.RawMessage, out any, what string) error {
	return httpcall.DecodeJSON(&httpcall.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, out, what)
}

// gatewayError turns a gateway's refusal into a plugin error by its code,
// with the gateway's code and message. A decline carries declineCode when
// the gateway gave one. A code not in kinds is logged and taken as an
// unknown outcome: nobody can tell what the gateway did.
func gatewayError(ctx context.Context, what string, kinds map[string]plugin.ErrorKind, code, declineCode, message, param string) error {
	kind, ok := kinds[code]
	if !ok {
		plugin.Logger(ctx).Warn("unexpected gateway error code; outcome unknown", "call", what, "code", code)
		kind = plugin.KindUnknownOutcome
	}
	if kind == plugin.KindDeclined {
		return plugin.Declined(firstNonEmpty(declineCode, code), message)
	}
	err := plugin.GatewayError(kind, code, what+": "+message)
	err.Param = param
	return err
}

// notUnderstood reports an answer that decoded but cannot be read (an
// amount that does not parse, a missing URL): the gateway may have acted.
func notUnderstood(what string, err error) error {
	return plugin.UnknownOutcome(err, "%s: the gateway's answer is not understood: %v", what, err)
}

// headerValue returns the first value of the named header, whatever the
// case of the keys the host passed.
func headerValue(h map[string][]string, name string) string {
	if v := http.Header(h).Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
