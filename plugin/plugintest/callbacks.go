package plugintest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// maxCallbackBody bounds what the intake reads of one callback.
const maxCallbackBody = 1 << 20

// receivedCallback is one gateway callback as the intake received it and
// what the provider made of it.
type receivedCallback struct {
	request  *plugin.HandleCallbackRequest
	response *plugin.HandleCallbackResponse
	err      error
}

// callbackIntake plays the host's callback endpoint: an HTTP server at the
// instance's callback URL that hands each request, untouched, to the
// provider's HandleCallback and answers the gateway as the provider says.
// Scenarios wait on it for the events they expect.
type callbackIntake struct {
	provider plugin.Provider
	url      string

	mu       sync.Mutex
	received []receivedCallback
	arrived  chan struct{} // closed and replaced on every arrival
}

func newCallbackIntake(t *testing.T, p plugin.Provider, providerType string) *callbackIntake {
	t.Helper()
	c := &callbackIntake{provider: p, arrived: make(chan struct{})}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	c.url = srv.URL + "/v1/callbacks/" + providerType + "/conformance"
	return c
}

// ServeHTTP hands one callback to the provider.
func (c *callbackIntake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCallbackBody))
	if err != nil {
		http.Error(w, "reading body", http.StatusBadRequest)
		return
	}
	req := &plugin.HandleCallbackRequest{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	}
	resp, err := c.provider.HandleCallback(r.Context(), req)
	c.record(receivedCallback{request: req, response: resp, err: err})
	if err != nil {
		code := http.StatusInternalServerError
		switch plugin.KindOf(err) {
		case plugin.KindAuthentication:
			code = http.StatusUnauthorized
		case plugin.KindInvalidRequest:
			code = http.StatusBadRequest
		}
		http.Error(w, string(plugin.KindOf(err)), code)
		return
	}
	for k, v := range resp.Response.Header {
		w.Header()[k] = v
	}
	if resp.Response.StatusCode != 0 {
		w.WriteHeader(resp.Response.StatusCode)
	}
	_, _ = w.Write(resp.Response.Body)
}

func (c *callbackIntake) record(rc receivedCallback) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.received = append(c.received, rc)
	close(c.arrived)
	c.arrived = make(chan struct{})
}

// waitPayment waits for a callback with a payment event about the given
// attempt (by attempt id or provider reference) whose status is decided,
// and returns the callback and the event.
func (c *callbackIntake) waitPayment(ctx context.Context, ref plugin.PaymentRef) (receivedCallback, plugin.Event, error) {
	for {
		c.mu.Lock()
		for _, rc := range c.received {
			if rc.response == nil {
				continue
			}
			for _, e := range rc.response.Events {
				if e.Type == plugin.EventPayment && e.Payment != nil && !pending(e.Payment.Status) && about(e, ref) {
					c.mu.Unlock()
					return rc, e, nil
				}
			}
		}
		arrived := c.arrived
		c.mu.Unlock()
		select {
		case <-arrived:
		case <-ctx.Done():
			return receivedCallback{}, plugin.Event{}, ctx.Err()
		}
	}
}

// about reports whether e concerns the payment attempt ref.
func about(e plugin.Event, ref plugin.PaymentRef) bool {
	return e.AttemptID == ref.AttemptID ||
		(ref.ProviderReference != "" && e.ProviderReference == ref.ProviderReference)
}

// pending reports whether a payment status still waits for the customer
// or the gateway.
func pending(s plugin.PaymentStatus) bool {
	return s == plugin.StatusRequiresAction || s == plugin.StatusProcessing
}
