package host_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// dyingStore is a store whose host stops right after a transaction that
// made the write named after ("FinishAttempt" by default: the one that
// records a provider's answer) commits: while dead, every later
// transaction fails without reaching the store.
type dyingStore struct {
	store.Store
	after string
	dead  atomic.Bool
}

var errHostStopped = errors.New("the host stopped")

func (s *dyingStore) InTx(ctx context.Context, fn func(store.Tx) error) error {
	if s.dead.Load() {
		return errHostStopped
	}
	spy := &writeSpy{}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		spy.Tx, spy.wrote = tx, map[string]bool{}
		return fn(spy)
	})
	if err == nil && spy.wrote[cmp.Or(s.after, "FinishAttempt")] {
		s.dead.Store(true)
	}
	return err
}

// writeSpy notes which of the writes a host's death may follow its
// transaction makes.
type writeSpy struct {
	store.Tx
	wrote map[string]bool
}

func (t *writeSpy) InsertAttempt(ctx context.Context, a *store.Attempt) error {
	t.wrote["InsertAttempt"] = true
	return t.Tx.InsertAttempt(ctx, a)
}

func (t *writeSpy) FinishAttempt(ctx context.Context, a *store.Attempt) error {
	t.wrote["FinishAttempt"] = true
	return t.Tx.FinishAttempt(ctx, a)
}

func (t *writeSpy) FinishAttemptIfStarted(ctx context.Context, a *store.Attempt, missed func()) error {
	t.wrote["FinishAttempt"] = true
	return t.Tx.FinishAttemptIfStarted(ctx, a, missed)
}

func (t *writeSpy) InsertToken(ctx context.Context, tok *store.Token) error {
	t.wrote["InsertToken"] = true
	return t.Tx.InsertToken(ctx, tok)
}

func (t *writeSpy) UpdateToken(ctx context.Context, tok *store.Token) error {
	t.wrote["UpdateToken"] = true
	return t.Tx.UpdateToken(ctx, tok)
}

// TestFollowUpAnswerCommitsWithOutcome: a capture, void or reversal stores
// its answer as its idempotency key's in the transaction that records the
// provider's answer. A host that stops right after that commit has
// nothing left to write: the retry with the same key, on the host that
// takes over, gets the first answer again, and the gateway is called
// once.
func TestFollowUpAnswerCommitsWithOutcome(t *testing.T) {
	tests := []struct {
		name    string
		capture plugin.CaptureMode
		op      plugin.Operation
		do      func(e *env, id string, key api.CallOption) (*api.Payment, error)
		want    plugin.PaymentStatus
	}{
		{"capture", plugin.CaptureManual, plugin.OpCapture, func(e *env, id string, key api.CallOption) (*api.Payment, error) {
			return e.h.CapturePayment(e.ctx, "acme", id, &api.CaptureRequest{}, key)
		}, plugin.StatusSucceeded},
		{"void", plugin.CaptureManual, plugin.OpVoid, func(e *env, id string, key api.CallOption) (*api.Payment, error) {
			return e.h.VoidPayment(e.ctx, "acme", id, key)
		}, plugin.StatusCanceled},
		{"reversal", plugin.CaptureAutomatic, plugin.OpReverse, func(e *env, id string, key api.CallOption) (*api.Payment, error) {
			return e.h.ReversePayment(e.ctx, "acme", id, key)
		}, plugin.StatusReversed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachStore(t, envConfig{}, func(t *testing.T, c envConfig) {
				e := newEnv(t, c)
				p := e.create(e.payment(1000, tt.capture, nil))
				dying := &dyingStore{}
				host.WrapStore(e.h, func(s store.Store) store.Store { dying.Store = s; return dying })

				key := api.WithIdempotencyKey(tt.name + "-1")
				first, err := tt.do(e, p.ID, key)
				if err != nil {
					t.Fatalf("first %s: %v", tt.name, err)
				}
				if !dying.dead.Load() {
					t.Fatalf("the %s finished no attempt", tt.name)
				}
				if first.Status != tt.want {
					t.Fatalf("first %s: status %s, want %s", tt.name, first.Status, tt.want)
				}

				dying.dead.Store(false) // the host that takes over
				again, err := tt.do(e, p.ID, key)
				if err != nil {
					t.Fatalf("retry of the %s with its key: %v; want the first answer again", tt.name, err)
				}
				if !reflect.DeepEqual(again, first) {
					t.Errorf("retry answered %+v\nwant the first answer %+v", again, first)
				}
				if n := e.callCount(tt.op); n != 1 {
					t.Errorf("the gateway got %d %s calls, want 1", n, tt.op)
				}
			})
		})
	}
}

// TestRefundAnswerCommitsWithOutcome is TestFollowUpAnswerCommitsWithOutcome
// for a refund.
func TestRefundAnswerCommitsWithOutcome(t *testing.T) {
	forEachStore(t, envConfig{}, testRefundAnswerCommitsWithOutcome)
}

func testRefundAnswerCommitsWithOutcome(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, nil))
	dying := &dyingStore{}
	host.WrapStore(e.h, func(s store.Store) store.Store { dying.Store = s; return dying })

	key := api.WithIdempotencyKey("refund-1")
	first, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	if err != nil || !dying.dead.Load() || first.Status != plugin.RefundSucceeded {
		t.Fatalf("first refund = %+v, %v (host stopped: %v); want succeeded", first, err, dying.dead.Load())
	}
	dying.dead.Store(false)
	again, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Errorf("retry = %+v, %v\nwant the first answer %+v", again, err, first)
	}
	if n := e.callCount(plugin.OpRefund); n != 1 {
		t.Errorf("the gateway got %d refund calls, want 1", n)
	}
}

// TestRefundTakenOver: a host stops once it has reserved a refund and
// sent it; the retry with the same key, once the key's lease is over,
// takes the key over and answers with that refund, pending until a status
// query settles it, without sending it again.
func TestRefundTakenOver(t *testing.T) {
	forEachStore(t, envConfig{}, testRefundTakenOver)
}

func testRefundTakenOver(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, nil))
	dying := &dyingStore{after: "InsertAttempt"}
	host.WrapStore(e.h, func(s store.Store) store.Store { dying.Store = s; return dying })

	key := api.WithIdempotencyKey("refund-1")
	_, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	if wantCode(t, err, api.CodeInternal); !dying.dead.Load() {
		t.Fatalf("the refund started no attempt")
	}
	dying.dead.Store(false)
	_, err = e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	wantCode(t, err, api.CodeIdempotencyInProgress)
	e.advance(time.Hour)
	rf, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	if err != nil || rf.PaymentID != p.ID || rf.Amount != 400 || rf.Status != plugin.RefundPending {
		t.Fatalf("retry after the lease = %+v, %v; want the pending refund of 400", rf, err)
	}
	if n := e.callCount(plugin.OpRefund); n != 1 {
		t.Errorf("the gateway got %d refund calls, want 1", n)
	}
	if got := e.get(p.ID); got.AmountRefunded != 400 || len(got.Refunds) != 1 {
		t.Errorf("payment = refunded %d, refunds %+v; want the one refund, its 400 reserved", got.AmountRefunded, got.Refunds)
	}
}

// TestTokenAnswerCommitsWithOutcome: creating and deleting a token store
// their answer as their key's in the transaction that records the
// provider's answer, so a host that stops right after it still answers
// the retry.
func TestTokenAnswerCommitsWithOutcome(t *testing.T) {
	forEachStore(t, envConfig{providers: []string{"callback.cb"}}, testTokenAnswerCommitsWithOutcome)
}

func testTokenAnswerCommitsWithOutcome(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	dying := &dyingStore{after: "UpdateToken"}
	host.WrapStore(e.h, func(s store.Store) store.Store { dying.Store = s; return dying })
	retried := func(name string, do func() (*api.Token, error)) *api.Token {
		t.Helper()
		first, err := do()
		if err != nil || !dying.dead.Load() {
			t.Fatalf("first %s = %+v, %v (host stopped: %v)", name, first, err, dying.dead.Load())
		}
		dying.dead.Store(false)
		again, err := do()
		if err != nil || !reflect.DeepEqual(again, first) {
			t.Errorf("retry of %s = %+v, %v\nwant the first answer %+v", name, again, err, first)
		}
		return first
	}
	tok := retried("create", func() (*api.Token, error) {
		return e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card()},
			api.WithIdempotencyKey("tok-1"))
	})
	if tok.Status != plugin.TokenActive {
		t.Fatalf("token %+v, want active", tok)
	}
	deleted := retried("delete", func() (*api.Token, error) {
		return e.h.DeleteToken(e.ctx, "acme", tok.ID, api.WithIdempotencyKey("del-1"))
	})
	if deleted.ID != tok.ID || deleted.Status != plugin.TokenDeleted {
		t.Errorf("deleted %+v, want token %s deleted", deleted, tok.ID)
	}
}

// TestTokenTakenOver: a host stops once it has stored a token and asked
// the gateway; the retry with the same key, once the key's lease is over,
// takes the key over and answers with that token, not a new one.
func TestTokenTakenOver(t *testing.T) {
	forEachStore(t, envConfig{providers: []string{"callback.cb"}}, testTokenTakenOver)
}

func testTokenTakenOver(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	dying := &dyingStore{after: "InsertToken"}
	host.WrapStore(e.h, func(s store.Store) store.Store { dying.Store = s; return dying })

	req := &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card()}
	key := api.WithIdempotencyKey("tok-1")
	_, err := e.h.CreateToken(e.ctx, "acme", req, key)
	if wantCode(t, err, api.CodeInternal); !dying.dead.Load() {
		t.Fatalf("the tokenization stored no token")
	}
	dying.dead.Store(false)
	_, err = e.h.CreateToken(e.ctx, "acme", req, key)
	wantCode(t, err, api.CodeIdempotencyInProgress)
	e.advance(time.Hour)
	tok, err := e.h.CreateToken(e.ctx, "acme", req, key)
	if err != nil || tok.Status != plugin.TokenRequiresAction || tok.Provider != "callback.cb" {
		t.Fatalf("retry after the lease = %+v, %v; want the stored token, its outcome not recorded", tok, err)
	}
	again, err := e.h.GetToken(e.ctx, "acme", tok.ID)
	if err != nil || again.ID != tok.ID {
		t.Errorf("GetToken(%s) = %+v, %v", tok.ID, again, err)
	}
	// The answer is the key's now: a new retry replays it.
	if replay, err := e.h.CreateToken(e.ctx, "acme", req, key); err != nil || !reflect.DeepEqual(replay, tok) {
		t.Errorf("replay = %+v, %v; want %+v", replay, err, tok)
	}
}

// TestRefundSettledDuringCall: a callback settles a refund while the
// refund's own call is out; the call's answer then changes nothing, and
// the refund's answer (and its key's, replayed) is the refund as the
// callback settled it.
func TestRefundSettledDuringCall(t *testing.T) {
	forEachStore(t, envConfig{}, testRefundSettledDuringCall)
}

func testRefundSettledDuringCall(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	p := e.create(e.payment(1000, plugin.CaptureAutomatic, nil))
	race := &settlingStore{e: e, paymentID: p.ID}
	host.WrapStore(e.h, func(s store.Store) store.Store { race.Store = s; return race })

	key := api.WithIdempotencyKey("refund-raced")
	first, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	if err != nil {
		t.Fatal(err)
	}
	if !race.settled {
		t.Fatal("the refund was not settled during its call")
	}
	if first.Status != plugin.RefundFailed || first.ProviderRefundReference != "callback-ref" {
		t.Errorf("refund answered %+v; want it failed with reference callback-ref, as the callback settled it", first)
	}
	got := e.get(p.ID)
	if got.AmountRefunded != 0 || len(got.Refunds) != 1 || got.Refunds[0].Status != plugin.RefundFailed {
		t.Errorf("payment refunded %d with refunds %+v; want one failed refund and nothing refunded", got.AmountRefunded, got.Refunds)
	}
	for _, a := range got.Attempts {
		if a.Status == string(store.AttemptStarted) {
			t.Errorf("attempt %s left started", a.ID)
		}
	}
	again, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400}, key)
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Errorf("retry = %+v, %v\nwant the first answer %+v", again, err, first)
	}
}

// settlingStore settles payment paymentID's refund as failed, as a
// callback would, in a transaction of its own just before the first
// transaction that begins once the gateway has the refund call.
type settlingStore struct {
	store.Store
	e         *env
	paymentID string
	settled   bool
}

func (s *settlingStore) InTx(ctx context.Context, fn func(store.Tx) error) error {
	if !s.settled && s.e.callCount(plugin.OpRefund) == 1 {
		s.settled = true
		err := s.Store.InTx(ctx, func(tx store.Tx) error {
			rfs, err := tx.ListRefunds(ctx, s.paymentID)
			if err != nil || len(rfs) != 1 {
				return fmt.Errorf("refunds %+v, %v; want one", rfs, err)
			}
			rf := rfs[0]
			rf.Status, rf.ProviderRefundReference, rf.FailureCode = plugin.RefundFailed, "callback-ref", "declined"
			return tx.FinishRefund(ctx, &rf)
		})
		if err != nil {
			return err
		}
	}
	return s.Store.InTx(ctx, fn)
}

// TestRefundAnswerIsStored: the answer to a refund, which the host makes
// from what it wrote rather than reading the refund back, is the refund as
// stored, field for field, for each outcome.
func TestRefundAnswerIsStored(t *testing.T) {
	forEachStore(t, envConfig{}, testRefundAnswerIsStored)
}

func testRefundAnswerIsStored(t *testing.T, c envConfig) {
	e := newEnv(t, c)
	for _, fault := range []string{"", "decline", "unknown", "not_sent"} {
		p := e.create(e.payment(1000, plugin.CaptureAutomatic, map[string]string{"fault.refund": fault}))
		rf, err := e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 400})
		if err != nil {
			t.Fatalf("refund with fault %q: %v", fault, err)
		}
		stored := e.get(p.ID).Refunds
		if len(stored) != 1 {
			t.Fatalf("fault %q: refunds %+v, want one", fault, stored)
		}
		answer, err := json.Marshal(rf)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(stored[0])
		if err != nil {
			t.Fatal(err)
		}
		if string(answer) != string(want) {
			t.Errorf("fault %q: the refund answered\n%s\nbut the store holds\n%s", fault, answer, want)
		}
	}
}
