package httpapi

import (
	"net/http"
	"slices"
	"strings"

	"github.com/payhost/payhost/api"
)

// The routes logged at debug level (see probes).
const (
	routeHealthz = "GET /healthz"
	routeReadyz  = "GET /readyz"
	routeMetrics = "GET /metrics"
)

// routes registers every endpoint, a 405 for a known path with another
// method, and a 404 for the rest, all answered with the error envelope.
func (h *handler) routes() {
	allowed := map[string][]string{}
	handle := func(method, path string, next http.Handler) {
		pattern := method + " " + path
		h.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requestOf(r).route = pattern
			next.ServeHTTP(w, r)
		}))
		allowed[path] = append(allowed[path], method)
	}

	handle("POST", "/v1/payments", h.merchant(h.createPayment))
	handle("GET", "/v1/payments/{id}", h.merchant(h.getPayment))
	handle("POST", "/v1/payments/{id}/capture", h.merchant(h.capturePayment))
	handle("POST", "/v1/payments/{id}/refunds", h.merchant(h.refundPayment))
	handle("POST", "/v1/payments/{id}/void", h.merchant(h.voidPayment))
	handle("POST", "/v1/payments/{id}/reverse", h.merchant(h.reversePayment))
	handle("POST", "/v1/payments/{id}/sync", h.merchant(h.syncPayment))
	handle("POST", "/v1/tokens", h.merchant(h.createToken))
	handle("GET", "/v1/tokens/{id}", h.merchant(h.getToken))
	handle("DELETE", "/v1/tokens/{id}", h.merchant(h.deleteToken))
	handle("GET", "/v1/events", h.merchant(h.listEvents))
	handle("GET", "/v1/events/{id}", h.merchant(h.getEvent))
	handle("POST", "/v1/callbacks/{provider}/{name}", http.HandlerFunc(h.callback))
	handle("GET", "/healthz", http.HandlerFunc(h.healthz))
	handle("GET", "/readyz", http.HandlerFunc(h.readyz))
	handle("GET", "/metrics", h.opts.Metrics.Handler())

	for path, methods := range allowed {
		h.mux.Handle(path, h.methodNotAllowed(methods))
	}
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, api.Errorf(api.CodeNotFound, "", "no endpoint %s %s; see the API reference", r.Method, r.URL.EscapedPath()))
	})
}

// methodNotAllowed answers a known path asked with another method.
func (h *handler) methodNotAllowed(methods []string) http.HandlerFunc {
	if slices.Contains(methods, http.MethodGet) {
		methods = append(methods, http.MethodHead)
	}
	allow := strings.Join(methods, ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		h.fail(w, r, api.Errorf(codeMethodNotAllowed, "", "%s is not allowed here; use %s", r.Method, allow))
	}
}
