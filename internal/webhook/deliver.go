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

// deliver makes one attempt at e and hands it to the recorder, which
// frees its worker once the attempt is recorded. When ctx ends first
// nothing is recorded: the event's lease runs out and another claim
// retries it.
func (d *Dispatcher) deliver(ctx context.Context, e store.Event) {
	defer d.running.Done()
	ep, ok := d.endpoints.Endpoint(e.MerchantID)
	out := outcome{err: errNoEndpoint}
	if ok {
		out = d.send(ctx, ep, e)
	}
	if ctx.Err() != nil {
		d.release(1)
		return
	}
	d.results <- attempt{event: e, out: out, retry: ok}
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

// attempt is one delivery attempt, for the recorder.
type attempt struct {
	event store.Event
	out   outcome
	// retry is false when the event is given up whatever the outcome.
	retry bool
}

// maxRecordBatch bounds how many attempts one transaction records.
const maxRecordBatch = 64

// recordLoop records the attempts of the deliveries, those that finished
// while the previous transaction committed in one transaction, and frees
// their workers; until Close, or until ctx ends (then what is left is
// not recorded, as after a crash).
func (d *Dispatcher) recordLoop(ctx context.Context) {
	defer close(d.recorded)
	for {
		var first attempt
		var ok bool
		select {
		case first, ok = <-d.results:
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
		batch := []attempt{first}
	more:
		for len(batch) < maxRecordBatch {
			select {
			case a, ok := <-d.results:
				if !ok {
					break more
				}
				batch = append(batch, a)
			default:
				break more
			}
		}
		if ctx.Err() == nil {
			d.record(ctx, batch)
		}
		d.release(len(batch))
	}
}

// record writes each attempt and its event's next state: delivered,
// retried at the Backoff's next time, or given up (at once when retry is
// false), all in one transaction and one RecordDeliveries. An attempt
// whose event's lease ran out (or that is gone) is left out (logged); the
// others are recorded.
func (d *Dispatcher) record(ctx context.Context, batch []attempt) {
	rs := make([]store.DeliveryResult, len(batch))
	for i, a := range batch {
		rs[i] = store.DeliveryResult{
			EventID: a.event.ID, Owner: d.opts.Owner, HTTPStatus: a.out.status, Error: a.out.err,
			Duration: a.out.duration, Delivered: a.out.acknowledged(),
		}
		if !rs[i].Delivered && a.retry {
			rs[i].RetryAt, _ = d.opts.Backoff.next(a.event.Attempts+1, a.event.CreatedAt, time.Now())
		}
	}
	var missed []error
	err := d.st.InTx(ctx, func(tx store.Tx) (err error) {
		_, missed, err = tx.RecordDeliveries(ctx, rs)
		return err
	})
	for i, a := range batch {
		recErr := err
		if err == nil {
			recErr = missed[i]
		}
		d.logAttempt(a, rs[i], recErr)
	}
}

// logAttempt logs how attempt a came out, as r was recorded (err: or
// not), and tells the observer.
func (d *Dispatcher) logAttempt(a attempt, r store.DeliveryResult, err error) {
	e, out := a.event, a.out
	if d.opts.Observer != nil {
		o := Observation{EventID: e.ID, EventType: e.Type, MerchantID: e.MerchantID, Attempt: e.Attempts + 1,
			Result: ResultFailed, HTTPStatus: out.status, Duration: out.duration, Recorded: err == nil}
		switch {
		case r.Delivered:
			o.Result = ResultDelivered
		case r.RetryAt.IsZero():
			o.Result = ResultAbandoned
		}
		d.opts.Observer(o)
	}
	log := d.logger.With("event", e.ID, "type", e.Type, "merchant", e.MerchantID, "attempt", e.Attempts+1)
	switch {
	case errors.Is(err, store.ErrConflict):
		log.Warn("the event's lease ran out before its attempt was recorded; another host may deliver it again (lengthen the lease?)",
			"status", out.status, "error", out.err)
	case errors.Is(err, store.ErrNotFound):
		log.Error("the event is gone from the outbox; its attempt is not recorded", "status", out.status, "error", out.err)
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
