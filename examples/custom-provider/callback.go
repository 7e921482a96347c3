package tinypay

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/payhost/payhost/plugin"
)

// tinypay posts a payment's result to notify_url as JSON, with the
// Tinypay-Timestamp and Tinypay-Signature headers: the signature signs
// the timestamp and the exact body (callbackSignature). It retries until
// it gets a 2xx, with the same event_id.

// callbackTolerance is how far a callback's timestamp may be from the
// clock before it is refused as stale or replayed.
const callbackTolerance = 5 * time.Minute

// The notification types.
const (
	notePaid   = "payment.paid"
	noteFailed = "payment.failed"
)

// acknowledgement is the answer tinypay expects: any 2xx.
var acknowledgement = plugin.HTTPResponse{
	StatusCode: http.StatusOK,
	Header:     map[string][]string{"Content-Type": {"application/json"}},
	Body:       []byte(`{"received":true}` + "\n"),
}

// callbackSignature signs a callback: the Unix timestamp and the exact
// body bytes.
func callbackSignature(secret plugin.Secret, timestamp string, body []byte) string {
	return sign(secret, timestamp, string(body))
}

// HandleCallback verifies one of tinypay's callbacks and turns it into a
// payment event. A callback is refused as authentication unless its
// signature verifies over the raw body and its timestamp is within five
// minutes of the clock; a verified callback of a type this provider does
// not know is acknowledged without events, and logged.
func (p *Provider) HandleCallback(ctx context.Context, req *plugin.HandleCallbackRequest) (*plugin.HandleCallbackResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	if req.Method != http.MethodPost {
		return nil, plugin.InvalidRequest("method", "tinypay callbacks are POSTs, not %s", req.Method)
	}
	header := http.Header(req.Header)
	ts, sig := header.Get(headerTimestamp), header.Get(headerSignature)
	unix, err := strconv.ParseInt(ts, 10, 64)
	switch {
	case err != nil:
		return nil, plugin.AuthenticationFailed("", "the callback has no valid "+headerTimestamp+" header")
	case !hmac.Equal([]byte(sig), []byte(callbackSignature(in.cfg.secret, ts, req.Body))):
		return nil, plugin.AuthenticationFailed("", "the callback's signature does not verify with the instance's secret")
	case p.now().Sub(time.Unix(unix, 0)).Abs() > callbackTolerance:
		return nil, plugin.AuthenticationFailed("", "the callback's timestamp is more than 5 minutes from now: stale or replayed")
	}
	var n notification
	dec := json.NewDecoder(bytes.NewReader(req.Body))
	if err := dec.Decode(&n); err != nil || n.EventID == "" {
		return nil, plugin.InvalidRequest("body", "the callback is not a tinypay notification with an event_id")
	}
	logger := plugin.Logger(ctx)
	if n.Type != notePaid && n.Type != noteFailed {
		logger.Warn("tinypay callback of an unknown type acknowledged without events", "event", n.EventID, "type", n.Type)
		return &plugin.HandleCallbackResponse{Response: acknowledgement}, nil
	}
	res, err := paymentResultOf(ctx, &n.Payment)
	if err != nil {
		return nil, plugin.InvalidRequest("body", "the callback's payment does not read as tinypay's: %v", err)
	}
	e := plugin.Event{
		ID: "tinypay:" + n.EventID, Type: plugin.EventPayment,
		AttemptID: n.Payment.OrderID, ProviderReference: n.Payment.ID,
		Payment: &res, OccurredAt: time.Unix(n.CreatedAt, 0).UTC(),
	}
	logger.Info("tinypay callback", "event", e.ID, "attempt_id", e.AttemptID, "status", res.Status)
	return &plugin.HandleCallbackResponse{Events: []plugin.Event{e}, Response: acknowledgement}, nil
}
