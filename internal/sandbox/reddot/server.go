package reddot

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// Paths the emulator serves, as on RDP's hosts.
const (
	PathTokenAPI        = "/service/token-api"
	PathQueryToken      = "/service/Merchant_processor/query_token_redirection"
	PathQueryPayment    = "/service/Merchant_processor/query_redirection"
	PathPaymentAPI      = "/service/payment-api"
	PathMerchantAPI     = "/instanpanel/api/payment"
	pathTokenPage       = "/service/token-page/"
	pathPaymentPage     = "/service/secure-payment/"
	tokenPagePattern    = pathTokenPage + "{id}"
	paymentPagePattern  = pathPaymentPage + "{id}"
	callbackContentType = "application/json"
)

// Server emulates Red Dot Payment: the token, payment, query and Merchant
// APIs, the hosted card pages, and push notifications. It is an
// http.Handler, usable with httptest or on a real port; the emukit control
// API is served under /__emulator/.
type Server struct {
	cfg       Config
	kit       *emukit.Kit
	merchants map[string]Merchant
	cards     fingerprinter
	store     *store
	handler   http.Handler

	timersMu sync.Mutex
	timers   map[string]*time.Timer // pending payments resolving by themselves
	closed   bool
}

// New returns an emulator configured by cfg. It panics when cfg is
// invalid; call cfg.Validate first to get the error instead.
func New(cfg Config) *Server {
	cfg, err := cfg.withDefaults()
	if err != nil {
		panic("reddot: invalid config: " + err.Error())
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic("reddot: reading random key: " + err.Error())
	}
	s := &Server{
		cfg:       cfg,
		kit:       emukit.NewKit("reddot", cfg.Kit),
		merchants: make(map[string]Merchant, len(cfg.Merchants)),
		cards:     fingerprinter{key: key},
		store:     newStore(),
		timers:    make(map[string]*time.Timer),
	}
	for _, m := range cfg.Merchants {
		s.merchants[m.MID] = m
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathTokenAPI, s.handleTokenAPI)
	mux.HandleFunc("POST "+PathQueryToken, s.handleQueryToken)
	mux.HandleFunc("POST "+PathQueryPayment, s.handleQueryPayment)
	mux.HandleFunc("POST "+PathPaymentAPI, s.handlePaymentAPI)
	mux.HandleFunc("POST "+PathMerchantAPI, s.handleMerchantAPI)
	mux.HandleFunc("GET "+tokenPagePattern, s.showTokenPage)
	mux.HandleFunc("POST "+tokenPagePattern, s.submitTokenPage)
	mux.HandleFunc("GET "+paymentPagePattern, s.showPaymentPage)
	mux.HandleFunc("POST "+paymentPagePattern, s.submitPaymentPage)
	s.handler = s.kit.Handler(mux, s)
	return s
}

// The control API moves and resets this emulator's orders.
var (
	_ emukit.OrderController = (*Server)(nil)
	_ emukit.Resetter        = (*Server)(nil)
	_ http.Handler           = (*Server)(nil)
)

// Validate reports the first problem with c, naming the field.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

// ServeHTTP serves the emulated RDP endpoints and the control API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Kit is the emulator's shared machinery: its clock, request recorder and
// callback delivery log.
func (s *Server) Kit() *emukit.Kit { return s.kit }

// Merchants returns the MIDs the emulator accepts, with their secrets, in
// MID order: the test credentials `payhost sandbox` prints.
func (s *Server) Merchants() []Merchant {
	out := make([]Merchant, 0, len(s.merchants))
	for _, m := range s.merchants {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MID < out[j].MID })
	return out
}

// Credentials describes, one line each, the MIDs the emulator accepts, for
// `payhost sandbox` to print. They are test credentials by design, so the
// secrets are printed.
func (s *Server) Credentials() []string {
	var lines []string
	for _, m := range s.Merchants() {
		lines = append(lines, fmt.Sprintf("%s, secret key %s", m, m.Secret))
	}
	return lines
}

// Close stops pending payments from resolving by themselves and waits for
// notifications being delivered.
func (s *Server) Close() {
	s.timersMu.Lock()
	s.closed = true
	s.timersMu.Unlock()
	s.stopTimers()
	s.kit.Close()
}

// ResetState forgets every token, token transaction and payment, and
// stops pending payments from resolving: POST /__emulator/reset
// (emukit.Resetter).
func (s *Server) ResetState() {
	s.stopTimers()
	fresh := newStore()
	s.store.mu.Lock()
	s.store.tokens, s.store.byPayer, s.store.byCard = fresh.tokens, fresh.byPayer, fresh.byCard
	s.store.tokenOps, s.store.payments, s.store.orders = fresh.tokenOps, fresh.payments, fresh.orders
	s.store.mu.Unlock()
}

// stopTimers stops every pending payment's resolution timer.
func (s *Server) stopTimers() {
	s.timersMu.Lock()
	defer s.timersMu.Unlock()
	for id, t := range s.timers {
		t.Stop()
		delete(s.timers, id)
	}
}

// merchant looks up mid.
func (s *Server) merchant(mid string) (Merchant, bool) {
	m, ok := s.merchants[mid]
	return m, ok
}

// now is the emulator's clock.
func (s *Server) now() time.Time { return s.kit.Clock.Now() }

// baseURL is the public base of the emulator for building payment_url:
// Config.BaseURL, or else the host the request came to.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// newTransactionID makes an RDP-style transaction id: the order id, an
// underscore and 17 digits (like "TST102_59772881953567319"), at most 32
// characters as RDP's VARCHAR(32).
func (s *Server) newTransactionID(orderID string) string {
	id := orderID + "_" + s.kit.IDs.Digits(17)
	if len(id) > 32 {
		id = id[len(id)-32:]
	}
	return id
}
