package host

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// CreatePayment implements api.Service: it validates the request, routes
// it, stores the payment (processing) and its first attempt, calls the
// provider, and records what it answered. A provider that reports
// not_sent (or rate_limited) is followed by the route's next candidate;
// when none is left the payment fails with provider_unavailable. An
// unknown outcome leaves the payment unknown for the reconciler; a
// decline or a refusal fails it with the gateway's code. Whatever the
// outcome, once the payment exists the answer is the payment.
func (h *Host) CreatePayment(ctx context.Context, merchantID string, req *api.CreatePaymentRequest, opts ...api.CallOption) (*api.Payment, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, api.Errorf(api.CodeInvalidRequest, "", "the request has no body")
	}
	r := *req
	if r.Capture == "" {
		r.Capture = plugin.CaptureAutomatic
	}
	tok, err := h.validatePayment(ctx, merchantID, &r)
	if err != nil {
		return nil, err
	}
	w := write{merchant: merchantID, opts: api.Options(opts...), op: "create_payment", body: &r, status: http.StatusCreated, inRun: true}
	return idempotent(h, ctx, w, func(ctx context.Context, k *keyed) (*api.Payment, error) {
		return h.createPayment(ctx, merchantID, &r, tok, k)
	})
}

// createPayment routes and makes the payment, trying the candidates in
// order while they report not sent. Its first transaction takes the
// idempotency key and stores the payment and its first attempt; its last
// records the answer and stores it as the key's.
func (h *Host) createPayment(ctx context.Context, merchantID string, req *api.CreatePaymentRequest, tok *store.Token, k *keyed) (*api.Payment, error) {
	var (
		p       *store.Payment
		d       *routing.Decision
		a       *store.Attempt
		resumed bool
	)
	err := h.keyTx(ctx, k, func(tx store.Tx) (err error) {
		// The id derives from the key's record (k.id), known once the key
		// is taken, and routing splits by the id.
		p, resumed = newPayment(merchantID, req, tok, k.id(store.PrefixPayment)), false
		if d, err = h.route(ctx, merchantID, p, req, tok); err != nil {
			return err
		}
		p.Route = d.Route
		if k.takenOver {
			// The key's first owner stopped; it may have stored the
			// payment already.
			_, err := tx.GetPayment(ctx, p.ID)
			if resumed = err == nil; !isNotFound(err) {
				return err
			}
		}
		a, err = h.insertCreate(ctx, tx, p, d.Candidates[0].Provider)
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case resumed:
		return h.resume(ctx, p.ID)
	}
	// What the first transaction wrote, as the last may assume it still
	// stands (see finishCreate).
	known := &store.PaymentDetail{Payment: *p, Attempts: []store.Attempt{*a}, Refunds: []store.Refund{}}
	for i, c := range d.Candidates {
		if i > 0 {
			if a, err = h.startCreate(ctx, p, c.Provider); err != nil {
				return nil, err
			}
			known = nil
		}
		prov := h.providers[c.Provider]
		resp, callErr := call(h, ctx, prov, plugin.OpCreatePayment, func(ctx context.Context, pp plugin.Provider) (*plugin.CreatePaymentResponse, error) {
			return pp.CreatePayment(ctx, createRequest(p, a, req, tok))
		})
		last := i == len(d.Candidates)-1
		if view, err := h.finishCreate(ctx, p.ID, known, a, resp, callErr, last, k); err != nil || view != nil {
			return view, err
		}
	}
	return nil, errors.New("create payment: no candidate was tried")
}

// newPayment is the payment req asks for, processing, with id.
func newPayment(merchantID string, req *api.CreatePaymentRequest, tok *store.Token, id string) *store.Payment {
	p := &store.Payment{
		ID: id, MerchantID: merchantID,
		Amount: req.Amount, Currency: req.Currency, Method: req.Method, Capture: req.Capture, Status: processing,
		Reference: req.Reference, Description: req.Description, ReturnURL: req.ReturnURL,
		Customer: pluginCustomer(req.Customer), Card: cardInfo(req.Card), Metadata: req.Metadata,
	}
	if tok != nil {
		p.TokenID, p.Card = tok.ID, tok.Card
	}
	return p
}

// route decides which providers to try: the token's, the one the request
// names, or the merchant's routes.
func (h *Host) route(ctx context.Context, merchantID string, p *store.Payment, req *api.CreatePaymentRequest, tok *store.Token) (*routing.Decision, error) {
	rp := routing.Payment{
		ID: p.ID, Amount: p.Amount, Currency: p.Currency, Method: p.Method, Capture: p.Capture,
		Country: req.Country, Reference: p.Reference, Metadata: p.Metadata,
	}
	var (
		d   *routing.Decision
		err error
	)
	switch {
	case tok != nil:
		d, err = h.router.Pin(merchantID, tok.ProviderInstance, rp)
	case req.Provider != "":
		d, err = h.router.Pin(merchantID, req.Provider, rp)
	default:
		d, err = h.router.Route(merchantID, rp)
	}
	if err != nil {
		return nil, routeError(err)
	}
	h.logger(ctx).Debug("payment routed", "payment", p.ID, "route", d.Route, "candidates", d.Providers())
	return d, nil
}

// routeError is the API's answer to a payment routing cannot place.
func routeError(err error) error {
	if errors.Is(err, routing.ErrUnknownProvider) {
		return refuse(api.CodeInvalidRequest, "provider", "%s", err)
	}
	return refuse(api.CodeNoRoute, "", "%s", err)
}

// insertCreate stores new payment p, at provider, with its first attempt
// in tx, and returns the attempt.
func (h *Host) insertCreate(ctx context.Context, tx store.Tx, p *store.Payment, provider string) (*store.Attempt, error) {
	np := *p
	np.ProviderInstance = provider
	// Should this host stop before the provider answers, the reconciler
	// looks once the attempt counts as abandoned.
	np.NextSyncAt = h.now().Add(h.lease)
	if err := tx.InsertPayment(ctx, &np); err != nil {
		return nil, err
	}
	*p = np
	a := startedAttempt(p, provider, store.OpCreate, p.Amount)
	return a, tx.InsertAttempt(ctx, a)
}

// startCreate stores the attempt to create p at provider, the next
// candidate once the one before reported not sent.
func (h *Host) startCreate(ctx context.Context, p *store.Payment, provider string) (*store.Attempt, error) {
	var a *store.Attempt
	err := h.inTx(ctx, func(tx store.Tx) error {
		cur, err := tx.LockPayment(ctx, p.ID)
		if err != nil {
			return err
		}
		cur.ProviderInstance = provider
		if err := tx.UpdatePayment(ctx, cur); err != nil {
			return err
		}
		*p = *cur
		a = startedAttempt(p, provider, store.OpCreate, p.Amount)
		return tx.InsertAttempt(ctx, a)
	})
	return a, err
}

// finishCreate records what the provider answered to attempt a of payment
// id, and moves the payment. It returns the payment, or nil when a was not
// sent and another candidate is left to try.
//
// known, when not nil, is the payment with its attempts and refunds as
// the create's first transaction wrote them. The transaction assumes
// they still stand (store.Tx.AssumePaymentDetail) rather than reading
// them, and nearly always they do: while a payment is at the version its
// create wrote (processing), nothing else adds an attempt or a refund to
// it (follow-ups start from other statuses, refunds from succeeded), and
// whatever moves it (a callback, the reconciler once the attempt counts
// as abandoned) writes a new version. When it moved on, the write
// conflicts and the transaction runs again, reading.
func (h *Host) finishCreate(ctx context.Context, id string, known *store.PaymentDetail, a *store.Attempt, resp *plugin.CreatePaymentResponse, callErr error, last bool, k *keyed) (*api.Payment, error) {
	var (
		report    *plugin.PaymentResult
		reference string
	)
	switch classify(callErr) {
	case outcomeOK:
		report, reference = &resp.PaymentResult, resp.ProviderReference
	case outcomeNotSent:
		if !last {
			break
		}
		_, msg := failureOf(callErr)
		report = statusOf(failed, string(api.CodeProviderUnavailable), "no provider could be reached; nothing was sent: "+msg)
	case outcomeRefused:
		report = statusOf(failed, "", "")
		report.FailureCode, report.FailureMessage = failureOf(callErr)
	default:
		report = statusOf(unknown, "", "")
	}
	finish(a, callErr, reference)
	var (
		p     *store.Payment
		moved bool
		view  *api.Payment
	)
	err := h.inTx(ctx, func(tx store.Tx) (err error) {
		moved, view = false, nil
		var d *store.PaymentDetail
		// Assumed only when the transaction writes the payment, whose
		// compare-and-set checks the assumption (a call not sent, with
		// another candidate left, only finishes the attempt).
		assumed := known != nil && report != nil
		if assumed {
			d, known = known.Clone(), nil // a run again reads
			err = tx.AssumePaymentDetail(ctx, d)
		} else {
			d, err = tx.LockPaymentDetail(ctx, id)
		}
		if err != nil {
			return err
		}
		p = &d.Payment
		if err := h.finishAttempt(ctx, tx, *a, d, assumed); err != nil || report == nil {
			return err
		}
		if report.Status == unknown && p.Status != processing {
			// The gateway said what became of the payment while the call
			// ran (a callback; the reconciler): that the call's own
			// outcome is unknown adds nothing, and must not undo it.
			if view, err = h.view(ctx, tx, p, d); err != nil {
				return err
			}
			return h.completeKey(ctx, tx, k, k.status, view)
		}
		// The call is over: a payment left pending is asked about on
		// schedule, no longer when its attempt would count as abandoned.
		p.NextSyncAt = h.now().Add(h.opts.ReconcileSchedule[0])
		assumedVersion := p.Version
		if moved, view, err = h.moveOrUnknown(ctx, tx, p, report, 0, d); err != nil {
			return err
		}
		if assumed && p.Version == assumedVersion {
			// The state machine refused the answer, so nothing wrote the
			// payment to check the assumption: run again, reading.
			return fmt.Errorf("payment %s: unwritten, so not known to be as assumed: %w", id, store.ErrConflict)
		}
		return h.completeKey(ctx, tx, k, k.status, view)
	})
	if err != nil {
		return nil, err
	}
	k.settled = view != nil
	h.observe(p, moved)
	return view, nil
}

// finishAttempt writes a's outcome. An attempt that is no longer started
// was abandoned meanwhile (its host was taken for stopped) and recorded as
// unknown: the answer still applies to the payment. When d is not nil, tx
// holds a's payment, and d lists its attempts: a's entry is made what
// tx wrote. When d is assumed (store.Tx.AssumePaymentDetail), an attempt
// no longer started means the assumption was wrong: the conflict is
// returned, for the transaction to run again and read.
func (h *Host) finishAttempt(ctx context.Context, tx store.Tx, a store.Attempt, d *store.PaymentDetail, assumed bool) error {
	var listed *store.Attempt
	if d != nil {
		for i := range d.Attempts {
			if d.Attempts[i].ID == a.ID {
				listed = &d.Attempts[i]
			}
		}
	}
	abandoned := func() {
		h.logger(ctx).Warn("attempt answered after it was abandoned", "attempt", a.ID, "status", a.Status)
	}
	switch {
	case listed != nil && listed.Status != store.AttemptStarted:
		abandoned()
		return nil
	case listed == nil && !assumed:
		// Not read in tx: whether the attempt is still started is known
		// only once the write runs, which may wait for the commit.
		return tx.FinishAttemptIfStarted(ctx, &a, abandoned)
	}
	err := tx.FinishAttempt(ctx, &a)
	if err == nil && listed != nil {
		listed.Status, listed.ErrorKind, listed.ErrorCode, listed.ErrorMessage = a.Status, a.ErrorKind, a.ErrorCode, a.ErrorMessage
		listed.ProviderReference, listed.FinishedAt = a.ProviderReference, a.FinishedAt
	}
	return err
}

// createRequest is the provider's request for attempt a of payment p.
func createRequest(p *store.Payment, a *store.Attempt, req *api.CreatePaymentRequest, tok *store.Token) *plugin.CreatePaymentRequest {
	r := &plugin.CreatePaymentRequest{
		PaymentID: p.ID, AttemptID: a.ID, IdempotencyKey: a.ID,
		Amount: p.Money(p.Amount), Method: p.Method, Capture: p.Capture,
		Reference: p.Reference, Description: p.Description, ReturnURL: p.ReturnURL,
		Card: pluginCard(req.Card), Country: req.Country, Metadata: p.Metadata, Options: req.ProviderOptions,
	}
	if p.Customer != nil {
		r.Customer = *p.Customer
	}
	if tok != nil {
		r.Token = &plugin.StoredToken{Token: tok.ProviderToken.Reveal(), CustomerRef: tok.CustomerRef}
	}
	return r
}
