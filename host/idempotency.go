package host

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
)

// write describes one write request for its idempotency key.
type write struct {
	merchant string
	opts     api.CallOptions
	// op and pathID say what the request does to what ("capture",
	// "pay_…"); body is the request, canonical once encoded as JSON.
	op     string
	pathID string
	body   any
	// status is the HTTP status of a successful answer.
	status int
	// inRun says that run takes the key in its first write transaction
	// (keyTx) and stores its answer in its last (completeKey), rather than
	// idempotent doing each in a transaction of its own: two commits fewer.
	inRun bool
}

// keyed is what the request that owns an idempotency key knows of it.
type keyed struct {
	merchant, key string
	// created is when the key's record was created; it stays the same
	// when another host takes the key over.
	created time.Time
	// takenOver is set when the key's first owner (a host that crashed)
	// let its lease expire: part of the work may be done.
	takenOver bool

	// claim is the request to take the key with (write.inRun), until a
	// transaction that took it commits: then claimed is set, and lease is
	// the key's lease.
	claim   store.IdempotencyRequest
	claimed bool
	lease   string
	// status is the HTTP status of a successful answer; settled is set
	// once a committed transaction stored the answer (completeKey).
	status  int
	settled bool
}

// keyTaken is keyTx's error when the key is not the request's to take: its
// request completed (replay), is running (busy), or was another.
type keyTaken struct{ res store.IdempotencyResult }

func (e *keyTaken) Error() string {
	return fmt.Sprintf("idempotency key %q: %s", e.res.Record.Key, e.res.Outcome)
}

// keyTx runs fn in a write transaction that first takes k's key, when k
// has one not taken yet: the key and what fn writes commit together, or
// neither does (an error of fn, a refusal included, leaves the key free).
// fn may read k.created and k.takenOver. When the key is not the
// request's, fn does not run and the error is a *keyTaken.
//
// The first attempt expects the key to be new, as nearly every one is:
// the store may take it blind, and fail the transaction if it was not;
// the retry reads it.
func (h *Host) keyTx(ctx context.Context, k *keyed, fn func(store.Tx) error) error {
	if k.key == "" || k.claimed {
		return h.inTx(ctx, fn)
	}
	claim := k.claim
	claim.CreatedAt, claim.ExpectNew = h.now(), true
	err := h.inTx(ctx, func(tx store.Tx) error {
		res, err := tx.BeginIdempotent(ctx, claim)
		claim.ExpectNew = false // deliberately kept: a retry reads the key
		if err != nil {
			return err
		}
		if res.Outcome != store.IdempotencyNew {
			return &keyTaken{res}
		}
		k.created, k.takenOver, k.lease = res.Record.CreatedAt, res.TakenOver, res.Record.Lease
		return fn(tx)
	})
	k.claimed = err == nil
	return err
}

// completeKey stores the request's answer, status with body v, as its
// key's in tx, the transaction that records the request's outcome;
// k.settled must be set once tx commits. A key whose lease was taken over
// (or whose record is gone) is logged and left: the outcome still
// commits.
func (h *Host) completeKey(ctx context.Context, tx store.Tx, k *keyed, status int, v any) error {
	if k.key == "" {
		return nil
	}
	resp, err := storedResponse(status, v)
	if err != nil {
		return err
	}
	return tx.SettleIdempotent(ctx, k.merchant, k.key, k.lease, resp, func() {
		h.logger(ctx).Warn("idempotency key not settled: its lease was taken over, or its record is gone", "merchant", k.merchant)
	})
}

// id returns the id of the record the request creates: derived from the
// key, so that a host that takes the key over finds the record its first
// owner made, or a new random id without a key.
func (k *keyed) id(prefix string) string {
	if k.key == "" {
		return store.NewID(prefix)
	}
	sum := sha256.Sum256([]byte(prefix + "\x00" + k.merchant + "\x00" + k.key + "\x00" +
		strconv.FormatInt(k.created.UnixMicro(), 10)))
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(k.created.UnixMilli())<<16)
	copy(b[6:], sum[:10])
	return prefix + idEncoding.EncodeToString(b[:])
}

// idEncoding is the store's id alphabet: lower-case Crockford base32.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// fingerprint identifies a request for its key: the operation, the id in
// its path and its canonical JSON. Card numbers and CVCs encode masked
// (plugin.CardNumber and plugin.Secret), so only the card's first six and
// last four digits and its expiry count, and neither reaches the store.
func (w *write) fingerprint() (string, error) {
	body, err := json.Marshal(w.body)
	if err != nil {
		return "", err
	}
	return store.Fingerprint(w.op, w.pathID, body), nil
}

// idempotent runs a write under its idempotency key, if it has one: the
// first request with the key runs, and its answer is stored; a later one
// with the same request gets that answer again, with another request
// idempotency_mismatch, and while the first still runs
// idempotency_in_progress (after waiting up to Options.IdempotencyWait
// for a first request of this process to finish).
//
// run's *refusal errors release the key; its other *api.Error answers are
// stored like results; any other error leaves the key in progress until
// its lease expires, when a retry takes it over and finds what was done.
// With w.inRun, run takes the key in its first transaction and stores its
// answer in its last; an error before the first commits leaves the key
// free, as nothing was done.
func idempotent[T any](h *Host, ctx context.Context, w write, run func(context.Context, *keyed) (*T, error)) (*T, error) {
	key := w.opts.IdempotencyKey
	if key == "" {
		v, err := run(ctx, &keyed{})
		return v, h.answer(ctx, err)
	}
	fp, err := w.fingerprint()
	if err != nil {
		return nil, h.answer(ctx, err)
	}
	release, ok := h.inflight.acquire(ctx, w.merchant+"\x00"+key, h.opts.IdempotencyWait)
	if !ok {
		return nil, inProgress(key)
	}
	defer release()
	k := &keyed{merchant: w.merchant, key: key, status: w.status, claim: store.IdempotencyRequest{
		MerchantID: w.merchant, Key: key, Fingerprint: fp, Lease: h.lease,
	}}
	if !w.inRun {
		var res store.IdempotencyResult
		err = h.inTx(ctx, func(tx store.Tx) (err error) {
			res, err = tx.BeginIdempotent(ctx, k.claim)
			return err
		})
		if err != nil {
			return nil, h.answer(ctx, err)
		}
		if res.Outcome != store.IdempotencyNew {
			return taken[T](res)
		}
		k.created, k.takenOver, k.lease, k.claimed = res.Record.CreatedAt, res.TakenOver, res.Record.Lease, true
	}
	v, err := run(ctx, k)
	if kt, ok := errors.AsType[*keyTaken](err); ok {
		return taken[T](kt.res)
	}
	switch {
	case !k.claimed:
		// The first transaction did not commit: nothing was done, and
		// the key is free.
		return v, h.answer(ctx, err)
	case !k.settled:
		h.settleKey(ctx, w, k, k.lease, v, err)
	}
	return v, h.answer(ctx, err)
}

// taken answers a request whose key is not its own: the first answer
// again, or why not.
func taken[T any](res store.IdempotencyResult) (*T, error) {
	key := res.Record.Key
	switch res.Outcome {
	case store.IdempotencyReplay:
		return replay[T](res.Record.Response)
	case store.IdempotencyBusy:
		return nil, inProgress(key)
	case store.IdempotencyMismatch:
		return nil, api.Errorf(api.CodeIdempotencyMismatch, "", "idempotency key %q was used with a different request; use a new key for a new request", key)
	}
	return nil, fmt.Errorf("idempotency key %q: unexpected outcome %q", key, res.Outcome)
}

// settleKey stores the answer of the request that owned a key, or
// releases the key when the request was refused before doing anything.
// An internal error leaves the key in progress.
func (h *Host) settleKey(ctx context.Context, w write, k *keyed, lease string, v any, runErr error) {
	var (
		ref  *refusal
		aerr *api.Error
		resp store.StoredResponse
		err  error
	)
	switch {
	case errors.As(runErr, &ref):
		err = h.inTx(ctx, func(tx store.Tx) error { return tx.ReleaseIdempotent(ctx, k.merchant, k.key, lease) })
	case errors.As(runErr, &aerr):
		resp, err = storedResponse(aerr.Status(), errorBody(aerr))
	case runErr != nil:
		return
	default:
		resp, err = storedResponse(w.status, v)
	}
	if err == nil && resp.StatusCode != 0 {
		err = h.inTx(ctx, func(tx store.Tx) error { return tx.CompleteIdempotent(ctx, k.merchant, k.key, lease, resp) })
	}
	if err != nil {
		h.logger(ctx).Warn("idempotency key not settled", "merchant", k.merchant, "operation", w.op, "error", err)
	}
}

// storedResponse is the HTTP answer with status and body v as JSON.
func storedResponse(status int, v any) (store.StoredResponse, error) {
	body, err := json.Marshal(v)
	return store.StoredResponse{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       body,
	}, err
}

// errorBody is the body of the HTTP answer of the error aerr.
func errorBody(aerr *api.Error) any {
	return map[string]*api.Error{"error": aerr}
}

// replay decodes a stored answer: a T, or the *api.Error of an error
// status.
func replay[T any](r *store.StoredResponse) (*T, error) {
	if r.StatusCode >= http.StatusBadRequest {
		var env struct{ Error *api.Error }
		if err := json.Unmarshal(r.Body, &env); err != nil || env.Error == nil {
			return nil, fmt.Errorf("stored answer: %w", err)
		}
		return nil, env.Error
	}
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		return nil, fmt.Errorf("stored answer: %w", err)
	}
	return &v, nil
}

func inProgress(key string) *api.Error {
	return api.Errorf(api.CodeIdempotencyInProgress, "", "a request with idempotency key %q is still in progress; retry later to get its answer", key)
}

// answer returns err as the API's error: *api.Error as it is, and
// anything else logged and answered as internal.
func (h *Host) answer(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var aerr *api.Error
	if errors.As(err, &aerr) {
		return aerr
	}
	h.logger(ctx).Error("internal error", "error", err)
	return api.AsError(err)
}

// inflight holds the idempotency keys of the requests running in this
// process, so that a duplicate waits for the first and then replays its
// answer, rather than failing while the first is still at work.
type inflight struct {
	mu   sync.Mutex
	keys map[string]chan struct{}
}

// acquire takes key, waiting up to wait for a request of this process
// that holds it; it reports false when the wait or ctx ended first.
// release gives the key back.
func (f *inflight) acquire(ctx context.Context, key string, wait time.Duration) (release func(), ok bool) {
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		f.mu.Lock()
		held, busy := f.keys[key]
		if !busy {
			if f.keys == nil {
				f.keys = map[string]chan struct{}{}
			}
			done := make(chan struct{})
			f.keys[key] = done
			f.mu.Unlock()
			return func() {
				f.mu.Lock()
				delete(f.keys, key)
				f.mu.Unlock()
				close(done)
			}, true
		}
		f.mu.Unlock()
		select {
		case <-held:
		case <-timer.C:
			return nil, false
		case <-ctx.Done():
			return nil, false
		}
	}
}
