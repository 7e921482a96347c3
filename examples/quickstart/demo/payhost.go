package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/payhost/payhost/api"
)

// payhostAPI is the shop's client of payhost's HTTP API. Every call
// carries the shop's API key; every write carries an Idempotency-Key, so
// that a request repeated after a timeout or a crash does the work once.
type payhostAPI struct {
	base, key string
	client    *http.Client
}

func newPayhostAPI(base, key string) *payhostAPI {
	return &payhostAPI{base: strings.TrimRight(base, "/"), key: key, client: &http.Client{Timeout: 30 * time.Second}}
}

// call sends method path with body as JSON (none when nil) and decodes a
// 2xx answer into out. An error answer comes back as *api.Error.
func (p *payhostAPI) call(ctx context.Context, method, path, idempotencyKey string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+p.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var envelope struct {
			Error *api.Error `json:"error"`
		}
		if json.Unmarshal(b, &envelope) == nil && envelope.Error != nil {
			return fmt.Errorf("%s %s: HTTP %d: %w", method, path, resp.StatusCode, envelope.Error)
		}
		return fmt.Errorf("%s %s: HTTP %s: %.200s", method, path, resp.Status, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not what the API documents: %w", method, path, err)
	}
	return nil
}

func (p *payhostAPI) createPayment(ctx context.Context, idempotencyKey string, req *api.CreatePaymentRequest) (*api.Payment, error) {
	var out api.Payment
	return &out, p.call(ctx, http.MethodPost, "/v1/payments", idempotencyKey, req, &out)
}

func (p *payhostAPI) getPayment(ctx context.Context, id string) (*api.Payment, error) {
	var out api.Payment
	return &out, p.call(ctx, http.MethodGet, "/v1/payments/"+id, "", nil, &out)
}

func (p *payhostAPI) refund(ctx context.Context, idempotencyKey, paymentID string, req *api.RefundRequest) (*api.Refund, error) {
	var out api.Refund
	return &out, p.call(ctx, http.MethodPost, "/v1/payments/"+paymentID+"/refunds", idempotencyKey, req, &out)
}

// ready waits until payhost answers /readyz (store and plugins up).
func (p *payhostAPI) ready(ctx context.Context) error {
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+"/readyz", nil)
		if err != nil {
			return err
		}
		resp, err := p.client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("payhost at %s is not ready: %w", p.base, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
