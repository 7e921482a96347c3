package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/host"
	"github.com/payhost/payhost/plugin"
)

// shop is the service's own API: orders, and paying for them. Payments go
// through the embedded host's Go API; the host's HTTP API is mounted under
// /payhost/.
type shop struct {
	payments api.Service
	merchant string

	mu     sync.Mutex
	orders map[string]string // order id -> payment id
}

// newShop returns the shop's routes over host h, as merchant.
func newShop(h *host.Host, merchant string) http.Handler {
	s := &shop{payments: h, merchant: merchant, orders: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("POST /orders/{id}/pay", s.pay)
	mux.HandleFunc("GET /orders/{id}", s.order)
	// payhost's own HTTP API (payments, callbacks at
	// /payhost/v1/callbacks/..., /payhost/readyz, /payhost/metrics): the
	// configuration's public_url ends in /payhost accordingly.
	mux.Handle("/payhost/", http.StripPrefix("/payhost", h.Handler()))
	return mux
}

func (s *shop) home(w http.ResponseWriter, _ *http.Request) {
	_, _ = w.Write([]byte("Acme shop. POST /orders/{id}/pay to pay for an order.\n"))
}

// checkout is the body of POST /orders/{id}/pay.
type checkout struct {
	Amount   int64     `json:"amount"`
	Currency string    `json:"currency"`
	Card     *api.Card `json:"card,omitempty"`
}

// orderStatus is the shop's answer about an order.
type orderStatus struct {
	Order    string               `json:"order"`
	Payment  string               `json:"payment"`
	Status   plugin.PaymentStatus `json:"status"`
	Redirect string               `json:"redirect,omitempty"`
}

// pay pays for an order with the host's Go API. The order id is the
// idempotency key: paying twice for one order (a double click, a retry
// after a timeout) makes one payment.
func (s *shop) pay(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var c checkout
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		http.Error(w, "the body must be JSON: {amount, currency, card}", http.StatusBadRequest)
		return
	}
	method := plugin.MethodWallet
	if c.Card != nil {
		method = plugin.MethodCard
	}
	p, err := s.payments.CreatePayment(r.Context(), s.merchant, &api.CreatePaymentRequest{
		Amount: c.Amount, Currency: c.Currency, Method: method, Card: c.Card,
		Reference: "order-" + id, ReturnURL: "https://shop.example/orders/" + id,
	}, api.WithIdempotencyKey("order-"+id))
	if err != nil {
		fail(w, err)
		return
	}
	s.mu.Lock()
	s.orders[id] = p.ID
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, statusOf(id, p))
}

// order reports where an order's payment stands.
func (s *shop) order(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	paymentID, ok := s.orders[id]
	s.mu.Unlock()
	if !ok {
		http.Error(w, "no such order", http.StatusNotFound)
		return
	}
	p, err := s.payments.GetPayment(r.Context(), s.merchant, paymentID)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, statusOf(id, p))
}

func statusOf(order string, p *api.Payment) orderStatus {
	st := orderStatus{Order: order, Payment: p.ID, Status: p.Status}
	if p.NextAction != nil {
		st.Redirect = p.NextAction.URL
	}
	return st
}

// fail answers a payhost error with its status and message.
func fail(w http.ResponseWriter, err error) {
	var aerr *api.Error
	if !errors.As(err, &aerr) {
		aerr = api.AsError(err)
	}
	http.Error(w, aerr.Message, aerr.Status())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
