package tinypay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/payhost/payhost/plugin"
	"github.com/payhost/payhost/plugin/httpcall"
)

// The headers of tinypay's authentication, on requests and callbacks.
const (
	headerKey       = "Tinypay-Key"
	headerTimestamp = "Tinypay-Timestamp"
	headerSignature = "Tinypay-Signature"
)

// sign is tinypay's signature: the lowercase hex HMAC-SHA256, keyed with
// the secret, of lines joined by "\n".
func sign(secret plugin.Secret, lines ...string) string {
	mac := hmac.New(sha256.New, []byte(secret.Reveal()))
	mac.Write([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(mac.Sum(nil))
}

// requestSignature signs a request: the Unix timestamp, the method, the
// path as sent (escaped, with its query) and the exact body bytes.
func requestSignature(secret plugin.Secret, timestamp, method, path string, body []byte) string {
	return sign(secret, timestamp, method, path, string(body))
}

// client makes one instance's calls to tinypay.
type client struct {
	cfg  *config
	http *http.Client
	now  func() time.Time
}

// call sends a signed request with body encoded as JSON (none when nil)
// to path under the endpoint, and decodes a 2xx answer into out. Transport
// failures are classified by httpcall; a refusal becomes the error its
// code says (refusal); an answer that cannot be read is an unknown
// outcome. what names the call in errors.
func (c *client) call(ctx context.Context, method, path string, body, out any, what string) error {
	var payload []byte
	var reader io.Reader
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return &plugin.Error{Kind: plugin.KindInternal, Message: what + ": encoding the request: " + err.Error()}
		}
		reader = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.endpoint+path, reader)
	if err != nil {
		return plugin.NotSent(err, "%s: building the request: %v", what, err)
	}
	ts := strconv.FormatInt(c.now().Unix(), 10)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(headerKey, c.cfg.apiKey.Reveal())
	req.Header.Set(headerTimestamp, ts)
	req.Header.Set(headerSignature, requestSignature(c.cfg.secret, ts, method, req.URL.RequestURI(), payload))
	resp, err := httpcall.Do(c.http, req, what)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var ans errorAnswer
		_ = json.Unmarshal(resp.Body, &ans) // a body that is not tinypay's leaves the code empty
		return refusal(resp.StatusCode, ans.Error.Code, ans.Error.Message, what)
	}
	return httpcall.DecodeJSON(resp, out, what)
}
