package host_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/plugin"
)

// TestIdempotentCreate: one key, one payment, whatever arrives at once.
func TestIdempotentCreate(t *testing.T) {
	e := newEnv(t, envConfig{})
	key := api.WithIdempotencyKey("order-1-attempt-1")
	req := e.payment(1050, plugin.CaptureAutomatic, nil)

	t.Run("concurrent duplicates", func(t *testing.T) {
		const n = 50
		answers := make([][]byte, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				p, err := e.h.CreatePayment(e.ctx, "acme", req, key)
				answers[i], errs[i] = json.Marshal(p)
				if err != nil {
					errs[i] = err
				}
			})
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("call %d: %v", i, errs[i])
			}
			if string(answers[i]) != string(answers[0]) {
				t.Fatalf("call %d answered\n%s\nwhile call 0 answered\n%s", i, answers[i], answers[0])
			}
		}
		if got := e.callCount(plugin.OpCreatePayment); got != 1 {
			t.Errorf("the gateway got %d create calls, want 1", got)
		}
	})

	t.Run("replay", func(t *testing.T) {
		first := e.create(req, key)
		again := e.create(req, key)
		if a, b := mustJSON(t, first), mustJSON(t, again); a != b {
			t.Errorf("replay answered\n%s\nwant\n%s", b, a)
		}
	})

	t.Run("different request", func(t *testing.T) {
		other := *req
		other.Amount++
		_, err := e.h.CreatePayment(e.ctx, "acme", &other, key)
		if aerr := wantCode(t, err, api.CodeIdempotencyMismatch); aerr.Status() != http.StatusUnprocessableEntity {
			t.Errorf("status %d, want 422", aerr.Status())
		}
	})

	t.Run("another card with the same key", func(t *testing.T) {
		other := *req
		card := *req.Card
		card.Number = plugin.NewCardNumber("5555555555554444")
		other.Card = &card
		_, err := e.h.CreatePayment(e.ctx, "acme", &other, key)
		wantCode(t, err, api.CodeIdempotencyMismatch)
	})

	t.Run("the CVC is not part of the request's fingerprint", func(t *testing.T) {
		other := *req
		card := *req.Card
		card.CVC = plugin.NewSecret("123")
		other.Card = &card
		if p := e.create(&other, key); mustJSON(t, p) != mustJSON(t, e.create(req, key)) {
			t.Errorf("another CVC did not replay the answer")
		}
	})

	t.Run("keys are per merchant", func(t *testing.T) {
		p, err := e.h.CreatePayment(e.ctx, "other", req, key)
		if err != nil {
			t.Fatal(err)
		}
		if mine := e.create(req, key); p.ID == mine.ID {
			t.Errorf("merchant other got acme's payment %s", p.ID)
		}
	})

	t.Run("a refused request releases its key", func(t *testing.T) {
		release := api.WithIdempotencyKey("capture-1")
		_, err := e.h.CapturePayment(e.ctx, "acme", "pay_nosuchpayment", nil, release)
		wantCode(t, err, api.CodeNotFound)
		auth := e.create(e.payment(1050, plugin.CaptureManual, nil))
		p, err := e.h.CapturePayment(e.ctx, "acme", auth.ID, nil, release)
		if err != nil {
			t.Fatalf("the key of a refused request was kept: %v", err)
		}
		wantStatus(t, p, plugin.StatusSucceeded)
	})
}

// TestIdempotencyInProgress: while the first request with a key is still
// at the provider, another one with the key is answered 409; once the
// first is done (here: timed out, unknown), the key replays its answer.
func TestIdempotencyInProgress(t *testing.T) {
	called := make(chan struct{}, 1)
	e := newEnv(t, envConfig{
		callTimeout:     2 * time.Second,
		idempotencyWait: 10 * time.Millisecond,
		hooks: host.Hooks{BeforeProviderCall: func(_ string, op plugin.Operation) {
			if op == plugin.OpCreatePayment {
				called <- struct{}{}
			}
		}},
	})
	key := api.WithIdempotencyKey("hanging")
	req := e.payment(1050, plugin.CaptureAutomatic, map[string]string{"fault": "hang"})
	first := make(chan *api.Payment)
	go func() {
		p, err := e.h.CreatePayment(e.ctx, "acme", req, key)
		if err != nil {
			t.Error(err)
		}
		first <- p
	}()
	<-called // the first request is at the plugin, which hangs until the call timeout
	_, err := e.h.CreatePayment(e.ctx, "acme", req, key)
	if aerr := wantCode(t, err, api.CodeIdempotencyInProgress); aerr.Status() != http.StatusConflict {
		t.Errorf("status %d, want 409", aerr.Status())
	}
	p := <-first
	wantStatus(t, p, plugin.StatusUnknown)
	if again := e.create(req, key); mustJSON(t, again) != mustJSON(t, p) {
		t.Errorf("after the first finished the key answered\n%s\nwant\n%s", mustJSON(t, again), mustJSON(t, p))
	}
	if n := e.callCount(plugin.OpCreatePayment); n != 1 {
		t.Errorf("the gateway got %d create calls, want 1", n)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestIdempotencyTakeover: a host stops answering after it stored a
// payment and before its provider answered; once the key's lease expires,
// another host retrying the request takes the key over, finds the payment
// (its id derives from the key), and answers it unknown rather than
// paying again. When the first host's call does complete, its answer
// still applies.
func TestIdempotencyTakeover(t *testing.T) {
	stalled, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	c := envConfig{hooks: host.Hooks{BeforeProviderCall: func(_ string, op plugin.Operation) {
		once.Do(func() {
			close(stalled)
			<-resume
		})
	}}}
	e := newEnv(t, c)
	second := e.start(c)
	key := api.WithIdempotencyKey("takeover")
	req := e.payment(1050, plugin.CaptureAutomatic, nil)
	first := make(chan *api.Payment)
	go func() {
		p, err := e.h.CreatePayment(e.ctx, "acme", req, key)
		if err != nil {
			t.Error(err)
		}
		first <- p
	}()
	<-stalled // the payment and its attempt are stored; the first host is stuck
	_, err := second.CreatePayment(e.ctx, "acme", req, key)
	wantCode(t, err, api.CodeIdempotencyInProgress)
	e.advance(time.Hour) // past the lease
	p, err := second.CreatePayment(e.ctx, "acme", req, key)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, p, plugin.StatusUnknown)
	close(resume)
	done := <-first
	if done.ID != p.ID {
		t.Fatalf("the two hosts answered payments %s and %s", done.ID, p.ID)
	}
	wantStatus(t, e.get(p.ID), plugin.StatusSucceeded)
	if n := e.callCount(plugin.OpCreatePayment); n != 1 {
		t.Errorf("the gateway got %d create calls, want 1", n)
	}
}
