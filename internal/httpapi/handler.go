package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/api"
)

// handler serves the whole API; see the package documentation.
type handler struct {
	svc  api.Service
	opts Options
	mux  *http.ServeMux
}

// New returns the HTTP API of svc: every endpoint of the package
// documentation, behind request ids, panic recovery, the access log and
// the HTTP metrics.
func New(svc api.Service, opts Options) http.Handler {
	h := &handler{svc: svc, opts: opts.withDefaults(), mux: http.NewServeMux()}
	h.routes()
	return h
}

// request is what the handler learns about one request as it goes, for
// its log lines and metrics.
type request struct {
	id string
	// route is the matched route pattern, "" until one matches.
	route string
	// merchant is the authenticated merchant's id, "" until known.
	merchant string
	// log carries the request id.
	log hclog.Logger
}

type requestKey struct{}

// requestOf returns r's request, set by ServeHTTP.
func requestOf(r *http.Request) *request {
	return r.Context().Value(requestKey{}).(*request)
}

// ServeHTTP gives the request its id, serves it, recovers a panic into a
// 500 and logs the request once answered.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	req := &request{id: requestID(r)}
	req.log = h.opts.Logger.With("request_id", req.id)
	w.Header().Set(requestIDHeader, req.id)
	rec := &recorder{ResponseWriter: w}
	r = r.WithContext(context.WithValue(r.Context(), requestKey{}, req))
	defer func() {
		p := recover()
		if p != nil && p != http.ErrAbortHandler {
			req.log.Error("panic serving request", "route", req.route, "panic", maskPANs(fmt.Sprint(p)), "stack", string(debug.Stack()))
			if !rec.wroteHeader {
				h.fail(rec, r, &api.Error{Code: api.CodeInternal})
			}
		}
		h.finish(r, req, rec, time.Since(start))
		if p == http.ErrAbortHandler {
			panic(p) // net/http's way to abort a response: let it through
		}
	}()
	h.mux.ServeHTTP(rec, r)
}

// probes are the routes logged at debug level: polled by machines, they
// would drown the rest.
var probes = map[string]bool{routeHealthz: true, routeReadyz: true, routeMetrics: true}

// finish writes the access log line and records the metrics.
func (h *handler) finish(r *http.Request, req *request, rec *recorder, d time.Duration) {
	route := req.route
	if route == "" {
		route = "unmatched"
	}
	status := rec.status()
	h.opts.Metrics.HTTPRequest(route, metricMethod(r.Method), status, d)
	level := hclog.Info
	if probes[req.route] {
		level = hclog.Debug
	}
	req.log.Log(level, "request",
		"method", r.Method, "route", route, "status", status, "duration", d,
		"merchant", req.merchant, "bytes", rec.written)
}

// metricMethod bounds the method label to the standard methods.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
	written     int64
}

func (w *recorder) WriteHeader(code int) {
	if !w.wroteHeader && code >= 200 {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// status is the status sent, 200 for a handler that wrote nothing.
func (w *recorder) status() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.code
}
