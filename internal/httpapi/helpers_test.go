package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/httpapi/httpapitest"
)

// The test merchants and their API keys.
const (
	acmeKey   = "sk_test_acme_5f2b9c41"
	globexKey = "sk_test_globex_77aa01"
	// testPAN is a card number that must never reach a log or an error.
	testPAN = "4111111111111111"
	testCVC = "737"
)

// syncBuffer is testutil.SyncBuffer, under this package's name for it.
type syncBuffer = testutil.SyncBuffer

// env is the API of an in-memory service served over real HTTP.
type env struct {
	t    *testing.T
	svc  *httpapitest.Service
	srv  *httptest.Server
	logs *syncBuffer
}

// newEnv serves the API of a fresh service with merchants acme and
// globex, logging JSON at trace level into env.logs. configure, when set,
// adjusts the options first.
func newEnv(t *testing.T, configure func(*httpapi.Options)) *env {
	t.Helper()
	e := &env{t: t, svc: httpapitest.New(map[string]string{acmeKey: "acme", globexKey: "globex"}), logs: &syncBuffer{}}
	opts := httpapi.Options{Logger: hclog.New(&hclog.LoggerOptions{
		Output: e.logs, Level: hclog.Trace, JSONFormat: true,
	})}
	if configure != nil {
		configure(&opts)
	}
	e.srv = httptest.NewServer(httpapi.New(e.svc, opts))
	t.Cleanup(e.srv.Close)
	return e
}

// response is an answer, read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// errorBody is the error envelope.
type errorBody struct {
	Error struct {
		Code      string  `json:"code"`
		Message   string  `json:"message"`
		Param     *string `json:"param"`
		PaymentID string  `json:"payment_id"`
	} `json:"error"`
}

// envelope decodes r as the error envelope, failing unless it is exactly
// one, with every key present.
func (r *response) envelope(t *testing.T) errorBody {
	t.Helper()
	var e errorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error.Code == "" || e.Error.Param == nil {
		t.Fatalf("status %d: not an error envelope (%v): %s", r.status, err, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error Content-Type = %q, want application/json", ct)
	}
	return e
}

// decode decodes r's body into v, failing on a status other than want.
func (r *response) decode(t *testing.T, want int, v any) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// request is what do sends: headers as name, value pairs.
type request struct {
	method, path, body string
	header             []string
}

// as returns the headers of a request by the merchant with key.
func as(key string, more ...string) []string {
	return append([]string{"Authorization", "Bearer " + key}, more...)
}

// do sends req and reads the whole answer.
func (e *env) do(req request) *response {
	e.t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r, err := http.NewRequest(req.method, e.srv.URL+req.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(req.header); i += 2 {
		r.Header.Add(req.header[i], req.header[i+1])
	}
	return e.send(r)
}

// send sends r and reads the whole answer.
func (e *env) send(r *http.Request) *response {
	e.t.Helper()
	resp, err := e.srv.Client().Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: b}
}

// createPayment creates a payment for the merchant with key and returns
// its id.
func (e *env) createPayment(key, capture string) string {
	e.t.Helper()
	var p struct{ ID string }
	e.do(request{method: "POST", path: "/v1/payments", header: as(key),
		body: `{"amount": 1000, "currency": "USD", "method": "card", "capture": "` + capture + `",
			"card": {"number": "` + testPAN + `", "exp_month": 12, "exp_year": 2030, "cvc": "` + testCVC + `"}}`,
	}).decode(e.t, http.StatusCreated, &p)
	return p.ID
}

// logLines returns the JSON log lines.
func (e *env) logLines() []map[string]any {
	e.t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(e.logs.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			e.t.Fatalf("log line is not JSON: %q", l)
		}
		lines = append(lines, m)
	}
	return lines
}
