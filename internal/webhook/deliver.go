package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/payhost/payhost/internal/store"
)

// maxAnswerRead bounds how much of a merchant's answer is read (and
// dropped), so that the connection can serve the next delivery.
const maxAnswerRead = 64 << 10

// errNoEndpoint is the recorded error of an event whose merchant has no
// webhook.
const errNoEndpoint = "merchant has no webhook endpoint"

// outcome is what one attempt came to.
type outcome struct {
	status   int
	err      string
	duration time.Duration
}

// acknowledged reports whether the merchant answered 2xx.
func (o outcome) acknowledged() bool { return o.status >= 200 && o.status < 300 }

// deliver makes one attempt at e, records it, and frees its worker. When
// ctx ends first nothing is recorded: the event's lease runs out and
// another claim retries it.
func (d *Dispatcher) deliver(ctx context.Context, e store.Event) {
	defer d.running.Done()
	defer d.release(1)
	ep, ok := d.endpoints.Endpoint(e.MerchantID)
	out := outcome{err: errNoEndpoint}
	if ok {
		out = d.send(ctx, ep, e)
	}
	if ctx.Err() != nil {
		return
	}
	d.record(ctx, e, out, ok)
}

// send POSTs e's payload to ep, signed, and reads the answer.
func (d *Dispatcher) send(ctx context.Context, ep Endpoint, e store.Event) outcome {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(e.Payload))
	if err != nil {
		// The parse error would quote the URL, which may hold a token.
		return outcome{err: "invalid webhook URL"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", d.opts.UserAgent)
	req.Header.Set(EventIDHeader, e.ID)
	req.Header.Set(SignatureHeader, Sign(ep.Secret.Reveal(), e.Payload, start))
	resp, err := d.client.Do(req)
	if err != nil {
		return outcome{err: d.describe(err), duration: time.Since(start)}
	}
	_, err = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswerRead))
	_ = resp.Body.Close()
	out := outcome{status: resp.StatusCode, duration: time.Since(start)}
	switch {
	case !out.acknowledged():
		out.err = fmt.Sprintf("merchant answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	case err != nil:
		// The status came: the merchant has the event, whatever became of
		// the rest of its answer.
		d.logger.Debug("merchant's answer cut short", "event", e.ID, "error", d.describe(err))
	}
	return out
}

// describe says why a request failed, without its URL (which may hold a
// token).
func (d *Dispatcher) describe(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("no answer within %s", d.opts.Timeout)
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	return err.Error()
}

// record writes the attempt and the event's next state: delivered,
// retried at the Backoff's next time, or given up (at once when retry is
// false).
func (d *Dispatcher) record(ctx context.Context, e store.Event, out outcome, retry bool) {
	r := store.DeliveryResult{
		EventID: e.ID, Owner: d.opts.Owner, HTTPStatus: out.status, Error: out.err,
		Duration: out.duration, Delivered: out.acknowledged(),
	}
	if !r.Delivered && retry {
		r.RetryAt, _ = d.opts.Backoff.next(e.Attempts+1, e.CreatedAt, time.Now())
	}
	err := d.st.InTx(ctx, func(tx store.Tx) error {
		_, err := tx.RecordDelivery(ctx, r)
		return err
	})
	log := d.logger.With("event", e.ID, "type", e.Type, "merchant", e.MerchantID, "attempt", e.Attempts+1)
	switch {
	case errors.Is(err, store.ErrConflict):
		log.Warn("the event's lease ran out before its attempt was recorded; another host may deliver it again (lengthen the lease?)",
			"status", out.status, "error", out.err)
	case err != nil:
		log.Error("cannot record a delivery attempt; the event will be delivered again once its lease runs out", "error", err)
	case r.Delivered:
		log.Debug("delivered", "status", out.status, "duration", out.duration)
	case r.RetryAt.IsZero():
		log.Error("gave up delivering the event", "status", out.status, "error", out.err, "created_at", e.CreatedAt)
	default:
		log.Warn("delivery failed; will retry", "status", out.status, "error", out.err, "retry_at", r.RetryAt)
	}
}
