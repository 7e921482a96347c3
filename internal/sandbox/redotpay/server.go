package redotpay

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// maxBody bounds a request body.
const maxBody = 1 << 20

// Server is the RedotPay emulator: an http.Handler serving the Connect
// and seed profiles, the card endpoints, the hosted page and the control
// API. Create it with New.
type Server struct {
	cfg     Config
	kit     *emukit.Kit
	apps    map[string]*App
	seeds   map[string]SeedMerchant // by merchant code
	store   *store
	handler http.Handler
}

// New returns an emulator configured by cfg (see Config for defaults).
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:   cfg,
		kit:   emukit.NewKit("redotpay", cfg.Kit),
		apps:  make(map[string]*App),
		seeds: make(map[string]SeedMerchant),
		store: newStore(),
	}
	for i := range cfg.Apps {
		s.apps[cfg.Apps[i].AppKey] = &cfg.Apps[i]
	}
	for _, m := range cfg.SeedMerchants {
		s.seeds[m.Code] = m
	}
	s.kit.HandleControl("POST /__emulator/orders/{id}/refund", s.handleControlRefund)
	s.handler = s.kit.Handler(s.routes(), s)
	return s
}

// ServeHTTP serves the emulator.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Kit returns the emulator's shared machinery: its clock, request log and
// callback dispatcher.
func (s *Server) Kit() *emukit.Kit { return s.kit }

// Close stops webhook retries that are waiting.
func (s *Server) Close() { s.kit.Close() }

func (s *Server) now() time.Time { return s.kit.Clock.Now() }

// routes tells the profiles apart: X-R-AK selects Connect, a bearer token
// the seed profile; /pay/ is the hosted page for both.
func (s *Server) routes() http.Handler {
	connect := http.NewServeMux()
	connect.Handle("POST /openapi/v2/order/create", s.connectAuth(s.connectCreate))
	connect.Handle("POST /openapi/v2/order/payment-method", s.connectAuth(s.connectPaymentMethod))
	connect.Handle("GET /openapi/v2/order/payment-method", s.connectAuth(s.connectPaymentMethod))
	connect.Handle("POST /openapi/v2/order/detail", s.connectAuth(s.connectDetail))
	connect.Handle("POST /openapi/v2/order/close", s.connectAuth(s.connectClose))
	connect.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeConnectError(w, routeNotFound(r))
	})

	seed := http.NewServeMux()
	seed.Handle("POST /openapi/v2/order/create", s.seedAuth(writeSeedError, s.seedCreate))
	seed.Handle("GET /openapi/v2/order/payment-method", s.seedAuth(writeSeedError, s.seedPaymentMethod))
	seed.Handle("GET /openapi/v2/order/{sn}", s.seedAuth(writeSeedError, s.seedOrder))
	seed.Handle("POST /v1/authorize", s.seedAuth(writeCardError, s.cardAuthorize))
	seed.Handle("POST /v1/capture", s.seedAuth(writeCardError, s.cardCapture))
	seed.Handle("POST /v1/refund", s.seedAuth(writeCardError, s.cardRefund))
	seed.Handle("POST /v1/void", s.seedAuth(writeCardError, s.cardVoid))
	seed.Handle("POST /v1/reversal", s.seedAuth(writeCardError, s.cardReversal))
	seed.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			writeCardError(w, routeNotFound(r))
			return
		}
		writeSeedError(w, routeNotFound(r))
	})

	page := http.NewServeMux()
	page.HandleFunc("GET /pay/{sn}", s.handlePayPage)
	page.HandleFunc("POST /pay/{sn}", s.handlePayAction)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/pay/"):
			page.ServeHTTP(w, r)
		case r.Header.Get("X-R-AK") != "":
			connect.ServeHTTP(w, r)
		case strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "):
			seed.ServeHTTP(w, r)
		case strings.HasPrefix(r.URL.Path, "/v1/"):
			writeCardError(w, &kindError{errUnauthorized, "Authorization: a Bearer merchant key is required"})
		default:
			writeConnectError(w, &kindError{errUnauthorized,
				"X-R-AK: header is required (or Authorization: Bearer <merchant key> for the seed profile)"})
		}
	})
}

func routeNotFound(r *http.Request) error {
	return &kindError{errRouteNotFound, "no endpoint " + r.Method + " " + r.URL.Path + " in this profile"}
}

// readBody reads the whole request body, bounded by maxBody.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, fieldErrorf("body", "must be at most %d bytes", maxBody)
	}
	return body, err
}

// seedHandler serves a seed-profile call for the authenticated merchant.
type seedHandler func(w http.ResponseWriter, r *http.Request, m SeedMerchant, body []byte)

// seedAuth authenticates the bearer merchant key, comparing in constant
// time, and answers failures with fail.
func (s *Server) seedAuth(fail func(http.ResponseWriter, error), next seedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		var found *SeedMerchant
		for _, m := range s.cfg.SeedMerchants {
			if subtle.ConstantTimeCompare([]byte(token), []byte(m.Key)) == 1 {
				found = &m
			}
		}
		if found == nil {
			fail(w, &kindError{errUnauthorized, "Authorization: unknown merchant key"})
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			fail(w, err)
			return
		}
		next(w, r, *found, body)
	})
}
