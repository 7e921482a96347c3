package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/payhost/payhost/internal/bench"
	"github.com/payhost/payhost/plugin"
)

// paidPerClient is how many paid payments each client spreads its refunds
// over, so that no payment collects an unusual number of refunds.
const paidPerClient = 4

// benchMerchantKey is the API key of the benchmark's merchant.
const benchMerchantKey = "sk_bench_payhost_5f0c2a9e7d41b386"

// hostTarget sends the operations to payhost's HTTP API.
type hostTarget struct {
	g      *benchGateway
	mix    bench.Mix
	base   string // the host's base URL
	emu    string // the emulator's base URL
	client *http.Client
	run    string // unique to this benchmark, in idempotency keys
}

// hostClient is one client of the host: the payment it reads (the last it
// created) and the paid payments it refunds.
type hostClient struct {
	t    *hostTarget
	i    int
	seq  int
	open string
	paid []string
	next int
}

// hostPayment is what the benchmark reads of a payment answer.
type hostPayment struct {
	ID       string               `json:"id"`
	Status   plugin.PaymentStatus `json:"status"`
	Attempts []struct {
		ID string `json:"id"`
	} `json:"attempts"`
}

// hostRefund is what the benchmark reads of a refund answer.
type hostRefund struct {
	ID        string              `json:"id"`
	PaymentID string              `json:"payment_id"`
	Status    plugin.RefundStatus `json:"status"`
}

// newClient prepares client i: a payment to read when the mix reads, and
// paid payments when it refunds.
func (t *hostTarget) newClient(ctx context.Context, i int) (bench.Client, error) {
	c := &hostClient{t: t, i: i}
	if t.mix.Has(bench.OpStatus) || t.mix.Has(bench.OpSync) {
		if err := c.create(ctx); err != nil {
			return nil, err
		}
	}
	if !t.mix.Has(bench.OpRefund) {
		return c, nil
	}
	for range paidPerClient {
		var p hostPayment
		if err := c.call(ctx, "POST", "/v1/payments", t.g.paid.body(), http.StatusCreated, &p); err != nil {
			return nil, err
		}
		if t.g.payAtEmulator {
			if len(p.Attempts) == 0 {
				return nil, fmt.Errorf("payment %s has no attempt", p.ID)
			}
			if err := emulatorPay(ctx, t.client, t.emu, p.Attempts[0].ID); err != nil {
				return nil, err
			}
			if err := c.call(ctx, "POST", "/v1/payments/"+p.ID+"/sync", "", http.StatusOK, &p); err != nil {
				return nil, err
			}
		}
		if p.Status != plugin.StatusSucceeded {
			return nil, fmt.Errorf("payment %s to refund is %s, not succeeded", p.ID, p.Status)
		}
		c.paid = append(c.paid, p.ID)
	}
	return c, nil
}

// Do sends op to the host and checks its answer.
func (c *hostClient) Do(ctx context.Context, op bench.Op) error {
	switch op {
	case bench.OpCreate:
		return c.create(ctx)
	case bench.OpStatus:
		var p hostPayment
		if err := c.call(ctx, "GET", "/v1/payments/"+c.open, "", http.StatusOK, &p); err != nil {
			return err
		}
		if p.ID != c.open {
			return fmt.Errorf("asked for payment %s, got %q", c.open, p.ID)
		}
		return nil
	case bench.OpSync:
		var p hostPayment
		return c.call(ctx, "POST", "/v1/payments/"+c.open+"/sync", "", http.StatusOK, &p)
	case bench.OpRefund:
		id := c.paid[c.next%len(c.paid)]
		c.next++
		var r hostRefund
		if err := c.call(ctx, "POST", "/v1/payments/"+id+"/refunds", fmt.Sprintf(`{"amount": %d}`, c.t.g.refund), http.StatusCreated, &r); err != nil {
			return err
		}
		if r.PaymentID != id || r.Status == plugin.RefundFailed {
			return fmt.Errorf("refund of %s: %s of payment %q", id, r.Status, r.PaymentID)
		}
		return nil
	}
	return fmt.Errorf("operation %s is not sent to the host", op)
}

// create creates a payment and makes it the one the client reads.
func (c *hostClient) create(ctx context.Context) error {
	var p hostPayment
	if err := c.call(ctx, "POST", "/v1/payments", c.t.g.payment.body(), http.StatusCreated, &p); err != nil {
		return err
	}
	if p.Status != c.t.g.created {
		return fmt.Errorf("created payment %s is %s, want %s", p.ID, p.Status, c.t.g.created)
	}
	c.open = p.ID
	return nil
}

// call sends one request as the benchmark's merchant (writes with an
// idempotency key of their own) and decodes the answer into out when its
// status is want.
func (c *hostClient) call(ctx context.Context, method, path, body string, want int, out any) error {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.t.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchMerchantKey)
	if method == "POST" {
		c.seq++
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%s-%d-%d", c.t.run, c.i, c.seq))
	}
	resp, err := c.t.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: HTTP %d, want %d: %s", method, path, resp.StatusCode, want, clip(b))
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: %w: %s", method, path, err, clip(b))
	}
	return nil
}

// directTarget sends the operations to the provider in this process,
// which calls the emulator: the baseline.
type directTarget struct {
	g      *benchGateway
	mix    bench.Mix
	p      plugin.Provider
	emu    string
	client *http.Client // for the emulator's control API
	run    string
}

// directClient is one client of the provider: the payment it reads (the
// last it created) and the paid payments it refunds.
type directClient struct {
	t    *directTarget
	i    int
	seq  int
	open plugin.PaymentRef
	paid []plugin.PaymentRef
	next int
}

// newClient prepares client i as hostTarget.newClient does.
func (t *directTarget) newClient(ctx context.Context, i int) (bench.Client, error) {
	c := &directClient{t: t, i: i}
	if t.mix.Has(bench.OpStatus) || t.mix.Has(bench.OpSync) {
		if err := c.create(ctx); err != nil {
			return nil, err
		}
	}
	if !t.mix.Has(bench.OpRefund) {
		return c, nil
	}
	for range paidPerClient {
		id := c.nextID()
		req := t.g.paid.request("pay_"+id, "att_"+id)
		resp, err := t.p.CreatePayment(ctx, req)
		if err != nil {
			return nil, err
		}
		ref := plugin.PaymentRef{PaymentID: req.PaymentID, AttemptID: req.AttemptID, ProviderReference: resp.ProviderReference}
		res := resp.PaymentResult
		if t.g.payAtEmulator {
			if err := emulatorPay(ctx, t.client, t.emu, req.AttemptID); err != nil {
				return nil, err
			}
			got, err := t.p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: ref, Amount: req.Amount, Method: req.Method})
			if err != nil {
				return nil, err
			}
			res = got.PaymentResult
		}
		if res.Status != plugin.StatusSucceeded {
			return nil, fmt.Errorf("payment %s to refund is %s, not succeeded", ref.AttemptID, res.Status)
		}
		if res.ProviderReference != "" {
			ref.ProviderReference = res.ProviderReference
		}
		c.paid = append(c.paid, ref)
	}
	return c, nil
}

// Do sends op to the provider and checks its answer.
func (c *directClient) Do(ctx context.Context, op bench.Op) error {
	g := c.t.g
	switch op {
	case bench.OpCreate:
		return c.create(ctx)
	case bench.OpStatus, bench.OpSync:
		// Without payhost, a merchant learns a payment's status by asking
		// the gateway.
		resp, err := c.t.p.GetPayment(ctx, &plugin.GetPaymentRequest{PaymentRef: c.open, Amount: g.payment.money(), Method: g.payment.method})
		if err != nil {
			return err
		}
		if resp.Status == "" {
			return fmt.Errorf("status of %s: no status", c.open.AttemptID)
		}
		return nil
	case bench.OpRefund:
		ref := c.paid[c.next%len(c.paid)]
		c.next++
		id := c.nextID()
		resp, err := c.t.p.Refund(ctx, &plugin.RefundRequest{
			PaymentRef: ref, RefundID: "ref_" + id, IdempotencyKey: "ref_" + id,
			Amount:         plugin.Money{Amount: g.refund, Currency: g.paid.currency},
			CapturedAmount: g.paid.money(),
		})
		if err != nil {
			return err
		}
		if resp.Status == plugin.RefundFailed {
			return fmt.Errorf("refund of %s failed: %s %s", ref.AttemptID, resp.FailureCode, resp.ProviderStatus)
		}
		return nil
	}
	return fmt.Errorf("operation %s is not sent to the provider", op)
}

// create creates a payment and makes it the one the client reads.
func (c *directClient) create(ctx context.Context) error {
	id := c.nextID()
	req := c.t.g.payment.request("pay_"+id, "att_"+id)
	resp, err := c.t.p.CreatePayment(ctx, req)
	if err != nil {
		return err
	}
	if resp.Status != c.t.g.created {
		return fmt.Errorf("created payment %s is %s, want %s", req.AttemptID, resp.Status, c.t.g.created)
	}
	c.open = plugin.PaymentRef{PaymentID: req.PaymentID, AttemptID: req.AttemptID, ProviderReference: resp.ProviderReference}
	return nil
}

// nextID returns an id unique to this benchmark: the run's token, the
// client and a count (20 characters of [0-9a-f]).
func (c *directClient) nextID() string {
	c.seq++
	return fmt.Sprintf("%s%04d%08d", c.t.run, c.i, c.seq)
}

// emulatorPay pays order id as its customer would, on the emulator's
// control API.
func emulatorPay(ctx context.Context, client *http.Client, emu, id string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", emu+"/__emulator/orders/"+id+"/complete", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("paying order %s on the emulator: %w", id, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("paying order %s on the emulator: HTTP %d: %s", id, resp.StatusCode, clip(b))
	}
	return nil
}

// clip shortens an answer for an error message.
func clip(b []byte) string {
	const limit = 300
	s := strings.TrimSpace(string(b))
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}
