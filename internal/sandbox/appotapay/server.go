package appotapay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// maxBody bounds a request body; AppotaPay requests are a few hundred
// bytes.
const maxBody = 1 << 20

// Server is the AppotaPay emulator: an http.Handler serving the v1.0/v1.1
// API, the hosted payment page and the emulator control API. Create it with
// New; it is safe for concurrent use.
type Server struct {
	cfg      Config
	kit      *emukit.Kit
	partners map[string]*Partner
	store    *store
	handler  http.Handler
}

// New returns an emulator configured by cfg. It panics if cfg is invalid
// (an unusable BaseURL or partner); check with Config.Validate first when
// cfg comes from a user.
func New(cfg Config) *Server {
	cfg, err := cfg.withDefaults()
	if err != nil {
		panic("appotapay: invalid Config: " + err.Error())
	}
	kit := emukit.NewKit("appotapay", cfg.Kit)
	s := &Server{
		cfg:      cfg,
		kit:      kit,
		partners: make(map[string]*Partner, len(cfg.Partners)),
		store:    newStore(kit.Clock),
	}
	for i := range cfg.Partners {
		p := cfg.Partners[i]
		s.partners[p.Code] = &p
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1.1/orders/payment/bank", s.api(s.createPayment(version11)))
	mux.HandleFunc("POST /api/v1/orders/payment/bank", s.api(s.createPayment(version10)))
	mux.HandleFunc("POST /api/v1.1/orders/transaction/bank/status", s.api(s.checkStatus(version11)))
	mux.HandleFunc("POST /api/v1/orders/transaction/bank/status", s.api(s.checkStatus(version10)))
	mux.HandleFunc("GET /api/v1.1/token/{order_id}", s.api(s.savedToken))
	mux.HandleFunc("POST /api/v1/transaction/refund", s.api(s.createRefund))
	mux.HandleFunc("GET /api/v1/transaction/refund/{refundId}", s.api(s.refundDetail))
	mux.HandleFunc("POST /api/v2/orders/payment", s.apiV2(s.createPaymentV2))
	mux.HandleFunc("GET /api/v2/orders/transaction", s.apiV2(s.statusV2))
	mux.HandleFunc("POST /api/v2/transaction/refund", s.apiV2(s.refundV2))
	mux.HandleFunc("GET /api/v2/transaction/refund/{id}", s.apiV2(s.refundDetailV2))
	for _, path := range []string{payPagePath, payPagePathV2} {
		mux.HandleFunc("GET "+path, s.showPayPage)
		mux.HandleFunc("POST "+path, s.submitPayPage)
	}
	kit.HandleControl("POST /__emulator/refunds/{id}/{action}", s.controlRefund)
	s.handler = kit.Handler(mux, s)
	return s
}

// Validate reports whether New would accept c, naming the bad field.
func (c Config) Validate() error {
	_, err := c.withDefaults()
	return err
}

// ServeHTTP serves the emulator.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Kit returns the shared emulator kit: its clock, request recorder,
// callback dispatcher (with the IPN delivery log) and faults.
func (s *Server) Kit() *emukit.Kit { return s.kit }

// Close stops IPN retries that are waiting.
func (s *Server) Close() { s.kit.Close() }

// BaseURL is the public base URL the emulator puts in payment links.
func (s *Server) BaseURL() string { return s.cfg.BaseURL }

// Partners returns the partner accounts the emulator accepts.
func (s *Server) Partners() []Partner {
	return append([]Partner(nil), s.cfg.Partners...)
}

// Credentials describes, one line each, the partner accounts the emulator
// accepts, for `payhost sandbox` to print. They are test credentials by
// design.
func (s *Server) Credentials() []string {
	lines := make([]string, 0, len(s.cfg.Partners))
	for _, p := range s.cfg.Partners {
		lines = append(lines, fmt.Sprintf("partner code %s, API key %s, secret key %s", p.Code, p.APIKey, p.SecretKey))
	}
	return lines
}

// apiHandler serves one API call for an authenticated partner. It returns
// the JSON body to answer 200 with, or a rejection.
type apiHandler func(r *http.Request, partner *Partner) (any, *apiError)

// api serves a v1.x call: rejections answer {"errorCode","message"} with
// HTTP 200 (401 for authentication).
func (s *Server) api(h apiHandler) http.HandlerFunc {
	return s.serve(h, func(w http.ResponseWriter, e *apiError) {
		writeJSON(w, e.status, errorResponse{ErrorCode: e.code, Message: e.message})
	})
}

// apiV2 serves a v2 call: rejections answer with an HTTP error status and
// the offending fields.
func (s *Server) apiV2(h apiHandler) http.HandlerFunc {
	return s.serve(h, writeV2Error)
}

// serve authenticates the JWT and answers with h's result, or with the
// rejection written by reject.
func (s *Server) serve(h apiHandler, reject func(http.ResponseWriter, *apiError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		partner, apiErr := authenticate(r.Header.Get(authHeader), s.kit.Clock.Now(), s.partners)
		var body any
		if apiErr == nil {
			body, apiErr = h(r, partner)
		}
		if apiErr != nil {
			s.kit.Logger.Info("request rejected", "path", r.URL.Path, "errorCode", apiErr.code, "message", apiErr.message)
			reject(w, apiErr)
			return
		}
		writeJSON(w, http.StatusOK, body)
	}
}

// readParams decodes the JSON body of r.
func readParams(r *http.Request) (params, *apiError) {
	return decodeParams(io.LimitReader(r.Body, maxBody))
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b := append(mustJSON(v), '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// mustJSON encodes v compactly, leaving <, > and & unescaped as AppotaPay
// does. The emulator encodes only its own plain structs, which cannot
// fail; a failure is a programming error.
func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("appotapay: encoding JSON: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

var _ http.Handler = (*Server)(nil)
