package emulator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log"
	"net/http"
	"sync"
	"time"
)

// The published test credentials: anyone may use them against the
// emulator, and they open nothing else.
const (
	TestAPIKey = "tp_test_8f14e45fceea167a"
	TestSecret = "tpsec_test_c9f0f895fb98ab91"
)

// Config configures an Emulator.
type Config struct {
	// APIKey and Secret are the one merchant's credentials.
	APIKey string
	Secret string
	// Log, when set, receives a line per callback delivery attempt.
	Log *log.Logger
}

// Emulator is a tiny tinypay, safe for concurrent use.
type Emulator struct {
	cfg  Config
	mux  *http.ServeMux
	http *http.Client

	mu       sync.Mutex
	payments map[string]*payment // by tinypay id
	orders   map[string]*payment // by order id
	refunds  map[string]*refund  // by refund id

	// stop ends the callback retries; callbacks counts those in flight.
	ctx       context.Context
	stop      context.CancelFunc
	callbacks sync.WaitGroup
}

// payment is a payment as the emulator keeps it; amounts are in minor
// units.
type payment struct {
	id, orderID, status, currency, method string
	description, returnURL, notifyURL     string
	amount, refunded                      int64
}

// refund is a refund as the emulator keeps it.
type refund struct {
	id, refundID, paymentID string
	amount                  int64
}

// The payment statuses tinypay reports.
const (
	statusPending           = "pending"
	statusPaid              = "paid"
	statusFailed            = "failed"
	statusPartiallyRefunded = "partially_refunded"
	statusRefunded          = "refunded"
)

// New returns an emulator with no payments.
func New(cfg Config) *Emulator {
	ctx, stop := context.WithCancel(context.Background())
	e := &Emulator{
		cfg:      cfg,
		mux:      http.NewServeMux(),
		http:     &http.Client{Timeout: 10 * time.Second},
		payments: map[string]*payment{},
		orders:   map[string]*payment{},
		refunds:  map[string]*refund{},
		ctx:      ctx,
		stop:     stop,
	}
	e.mux.HandleFunc("POST /v1/payments", e.authenticated(e.createPayment))
	e.mux.HandleFunc("GET /v1/payments/{id}", e.authenticated(e.getPayment))
	e.mux.HandleFunc("GET /v1/orders/{order_id}", e.authenticated(e.getOrder))
	e.mux.HandleFunc("POST /v1/payments/{id}/refunds", e.authenticated(e.createRefund))
	e.mux.HandleFunc("GET /pay/{id}", e.showPage)
	e.mux.HandleFunc("POST /pay/{id}", e.decide)
	return e
}

// ServeHTTP serves tinypay's API and hosted page.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { e.mux.ServeHTTP(w, r) }

// Close stops retrying callbacks and waits for those in flight.
func (e *Emulator) Close() {
	e.stop()
	e.callbacks.Wait()
}

// newID returns a fresh id with the given prefix.
func newID(prefix string) string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

var _ http.Handler = (*Emulator)(nil)
