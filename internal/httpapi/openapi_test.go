package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/httpapi"
	"github.com/payhost/payhost/internal/httpapi/httpapitest"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// The OpenAPI description of the API (docs/openapi.yaml) is checked here
// against the handler itself:
//
//   - TestOpenAPIRoutes: the routes registered in routes.go are exactly
//     the documented operations;
//   - TestOpenAPIPathsServed: every documented operation reaches a handler
//     (never the router's 404 or 405), and every documented path answers
//     405 with exactly the documented methods in Allow for any other;
//   - TestOpenAPIResponses: real requests of every documented operation,
//     successes and failures, answer statuses the document lists, with
//     bodies that match the documented schemas; the documented request
//     examples are the bodies sent;
//   - TestOpenAPISchemas: the schemas' properties are the JSON fields of
//     the Go types (package api), responses require exactly the fields
//     always present, enumerations are the SDK's lists and the error codes
//     those of api/errors.go and respond.go, and every $ref resolves.

// openAPIFile is the document, relative to this package.
const openAPIFile = "../../docs/openapi.yaml"

// openAPIKey is the API key of the one merchant of these tests.
const openAPIKey = "sk_test_openapi_3c9d0e77"

func TestOpenAPIRoutes(t *testing.T) {
	spec := loadOpenAPI(t)
	documented := map[string]bool{}
	for _, op := range spec.operations(t) {
		documented[op.method+" "+op.path] = true
	}
	served := servedRoutes(t)
	for _, r := range slices.Sorted(maps.Keys(served)) {
		if !documented[r] {
			t.Errorf("routes.go serves %s, which %s does not document", r, openAPIFile)
		}
	}
	for _, r := range slices.Sorted(maps.Keys(documented)) {
		if !served[r] {
			t.Errorf("%s documents %s, which routes.go does not serve", openAPIFile, r)
		}
	}
}

func TestOpenAPIPathsServed(t *testing.T) {
	spec := loadOpenAPI(t)
	h := httpapi.New(httpapitest.New(map[string]string{openAPIKey: "acme"}), httpapi.Options{})
	methods := map[string][]string{}
	for _, op := range spec.operations(t) {
		methods[op.path] = append(methods[op.path], op.method)
		r := httptest.NewRequest(op.method, fillPath(op.path, nil), nil)
		r.Header.Set("Authorization", "Bearer "+openAPIKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if why := routerAnswer(w); why != "" {
			t.Errorf("%s %s: %s (status %d: %s)", op.method, op.path, why, w.Code, w.Body)
		}
	}
	for path, ms := range methods {
		want := slices.Clone(ms)
		if slices.Contains(want, http.MethodGet) {
			want = append(want, http.MethodHead) // net/http serves HEAD with GET
		}
		sort.Strings(want)
		r := httptest.NewRequest(http.MethodPatch, fillPath(path, nil), nil)
		r.Header.Set("Authorization", "Bearer "+openAPIKey)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		allow := strings.Split(w.Header().Get("Allow"), ", ")
		sort.Strings(allow)
		if w.Code != http.StatusMethodNotAllowed || !slices.Equal(allow, want) {
			t.Errorf("PATCH %s: status %d, Allow %q; want 405 and Allow %v, the documented methods", path, w.Code, w.Header().Get("Allow"), want)
		}
	}
}

// routerAnswer says why w is the router's own answer (no route for the
// path, or not for this method), or "" when a handler answered.
func routerAnswer(w *httptest.ResponseRecorder) string {
	var env struct {
		Error struct{ Code, Message string }
	}
	_ = json.Unmarshal(w.Body.Bytes(), &env)
	switch {
	case w.Code == http.StatusMethodNotAllowed && env.Error.Code == "method_not_allowed":
		return "the router knows the path but not the method"
	case w.Code == http.StatusNotFound && strings.HasPrefix(env.Error.Message, "no endpoint "):
		return "the router knows no such path"
	}
	return ""
}

// openAPIReadiness answers GET /readyz.
type openAPIReadiness struct{ err error }

func (r openAPIReadiness) Ready(context.Context) error { return r.err }

// exchange is one request of TestOpenAPIResponses and the status it must
// get.
type exchange struct {
	name string
	// method and path name the documented operation; params fill the
	// path's {parameters} ("x" for those not given).
	method, path string
	params       map[string]string
	// body is sent as it is; nil sends the documented example, if any.
	body   *string
	header map[string]string
	// query is the URL's query string, without "?".
	query string
	// noAuth leaves out the Authorization header.
	noAuth bool
	// hook and callback, when set, make the service answer so.
	hook     func(c httpapitest.Call) error
	callback func() (*plugin.HTTPResponse, error)
	// handler, when set, serves the request instead of the shared one.
	handler http.Handler
	want    int
}

func TestOpenAPIResponses(t *testing.T) {
	spec := loadOpenAPI(t)
	svc := httpapitest.New(map[string]string{openAPIKey: "acme"})
	h := httpapi.New(svc, httpapi.Options{})
	ctx := t.Context()

	pay := func(capture plugin.CaptureMode) map[string]string {
		p, err := svc.CreatePayment(ctx, "acme", &api.CreatePaymentRequest{
			Amount: 1050, Currency: "SGD", Method: plugin.MethodCard, Capture: capture,
		})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": p.ID}
	}
	tok := func() map[string]string {
		tk, err := svc.CreateToken(ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: &api.Card{
			Number: plugin.NewCardNumber("4111111111111111"), ExpMonth: 12, ExpYear: 2030,
		}})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]string{"id": tk.ID}
	}
	text := func(s string) *string { return &s }
	event := func() map[string]string {
		p := pay(plugin.CaptureAutomatic)
		paid, err := svc.GetPayment(ctx, "acme", p["id"])
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(paid)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
		id := "evt_" + p["id"]
		svc.AddEvent("acme", api.Event{ID: id, Type: "payment.succeeded", CreatedAt: at.Unix(), Data: data,
			Delivery: api.EventDelivery{Status: api.DeliveryDelivered, Attempts: 2, DeliveredAt: &at, Log: []api.DeliveryAttempt{
				{Attempt: 1, At: at.Add(-time.Minute), Error: "connection refused", DurationMS: 1},
				{Attempt: 2, At: at, HTTPStatus: 200, DurationMS: 12},
			}}})
		return map[string]string{"id": id}
	}
	failWith := func(code api.ErrorCode) func(httpapitest.Call) error {
		return func(c httpapitest.Call) error {
			return &api.Error{Code: code, Message: "refused by the test", PaymentID: c.ID}
		}
	}
	cb := map[string]string{"provider": "appotapay", "name": "vn"}

	exchanges := []exchange{
		// Successes; the bodies are the documented examples.
		{name: "create", method: "POST", path: "/v1/payments", want: 201},
		{name: "get", method: "GET", path: "/v1/payments/{id}", params: pay(plugin.CaptureAutomatic), want: 200},
		{name: "capture", method: "POST", path: "/v1/payments/{id}/capture", params: pay(plugin.CaptureManual), want: 200},
		{name: "capture everything", method: "POST", path: "/v1/payments/{id}/capture", params: pay(plugin.CaptureManual), body: text(""), want: 200},
		{name: "refund", method: "POST", path: "/v1/payments/{id}/refunds", params: pay(plugin.CaptureAutomatic), want: 201},
		{name: "void", method: "POST", path: "/v1/payments/{id}/void", params: pay(plugin.CaptureManual), want: 200},
		{name: "void with {}", method: "POST", path: "/v1/payments/{id}/void", params: pay(plugin.CaptureManual), body: text("{}"), want: 200},
		{name: "reverse", method: "POST", path: "/v1/payments/{id}/reverse", params: pay(plugin.CaptureAutomatic), want: 200},
		{name: "sync", method: "POST", path: "/v1/payments/{id}/sync", params: pay(plugin.CaptureAutomatic), want: 200},
		{name: "tokenize", method: "POST", path: "/v1/tokens", want: 201},
		{name: "get token", method: "GET", path: "/v1/tokens/{id}", params: tok(), want: 200},
		{name: "delete token", method: "DELETE", path: "/v1/tokens/{id}", params: tok(), want: 200},
		{name: "get event", method: "GET", path: "/v1/events/{id}", params: event(), want: 200},
		{name: "list events", method: "GET", path: "/v1/events", query: "limit=10", want: 200},
		{name: "callback", method: "POST", path: "/v1/callbacks/{provider}/{name}", params: cb, body: text(`{"any":"thing"}`), noAuth: true, want: 200},
		{name: "healthz", method: "GET", path: "/healthz", noAuth: true, want: 200},
		{name: "readyz", method: "GET", path: "/readyz", noAuth: true, want: 200},
		{name: "metrics", method: "GET", path: "/metrics", noAuth: true, want: 200},

		// What the HTTP layer refuses itself.
		{name: "no key", method: "GET", path: "/v1/payments/{id}", params: pay(plugin.CaptureAutomatic), noAuth: true, want: 401},
		{name: "unknown payment", method: "GET", path: "/v1/payments/{id}", params: map[string]string{"id": "pay_none"}, want: 404},
		{name: "unknown token", method: "DELETE", path: "/v1/tokens/{id}", params: map[string]string{"id": "tok_none"}, want: 404},
		{name: "unknown event", method: "GET", path: "/v1/events/{id}", params: map[string]string{"id": "evt_none"}, want: 404},
		{name: "bad limit", method: "GET", path: "/v1/events", query: "limit=0", want: 400},
		{name: "unknown query parameter", method: "GET", path: "/v1/events/{id}", params: map[string]string{"id": "evt_none"}, query: "expand=data", want: 400},
		{name: "events no key", method: "GET", path: "/v1/events", noAuth: true, want: 401},
		{name: "wrong type", method: "POST", path: "/v1/payments", body: text(`{"amount": "10.50"}`), want: 400},
		{name: "unknown field", method: "POST", path: "/v1/tokens", body: text(`{"method": "card", "cvv": "1"}`), want: 400},
		{name: "empty key", method: "POST", path: "/v1/payments/{id}/refunds", params: pay(plugin.CaptureAutomatic), header: map[string]string{"Idempotency-Key": ""}, want: 400},
		{name: "not JSON", method: "POST", path: "/v1/payments/{id}/capture", params: pay(plugin.CaptureManual), header: map[string]string{"Content-Type": "text/plain"}, want: 415},
		{name: "too large", method: "POST", path: "/v1/payments", body: text(`{"description": "` + strings.Repeat("x", httpapi.DefaultMaxBodyBytes) + `"}`), want: 413},
		{name: "callback too large", method: "POST", path: "/v1/callbacks/{provider}/{name}", params: cb, body: text(strings.Repeat("x", httpapi.DefaultMaxCallbackBytes+1)), noAuth: true, want: 413},
		{name: "not ready", method: "GET", path: "/readyz", noAuth: true, want: 503,
			handler: httpapi.New(svc, httpapi.Options{Readiness: openAPIReadiness{errors.New("store down")}})},

		// What the service refuses: the status of each code.
		{name: "capture a sale", method: "POST", path: "/v1/payments/{id}/capture", params: pay(plugin.CaptureAutomatic), want: 409},
		{name: "capture too much", method: "POST", path: "/v1/payments/{id}/capture", params: pay(plugin.CaptureManual), body: text(`{"amount": 99999}`), want: 422},
		{name: "key in use", method: "POST", path: "/v1/payments", hook: failWith(api.CodeIdempotencyInProgress), want: 409},
		{name: "key reused", method: "POST", path: "/v1/tokens", hook: failWith(api.CodeIdempotencyMismatch), want: 422},
		{name: "no route", method: "POST", path: "/v1/payments", hook: failWith(api.CodeNoRoute), want: 422},
		{name: "bug", method: "POST", path: "/v1/payments", hook: func(httpapitest.Call) error { return errors.New("a bug") }, want: 500},
		{name: "capture refused", method: "POST", path: "/v1/payments/{id}/capture", params: pay(plugin.CaptureManual), hook: failWith(api.CodeProviderError), want: 502},
		{name: "void not sent", method: "POST", path: "/v1/payments/{id}/void", params: pay(plugin.CaptureManual), hook: failWith(api.CodeProviderUnavailable), want: 503},
		{name: "reverse unsupported", method: "POST", path: "/v1/payments/{id}/reverse", params: pay(plugin.CaptureAutomatic), hook: failWith(api.CodeUnsupported), want: 422},
		{name: "sync timeout", method: "POST", path: "/v1/payments/{id}/sync", params: pay(plugin.CaptureAutomatic), hook: failWith(api.CodeProviderTimeout), want: 504},
		{name: "delete timeout", method: "DELETE", path: "/v1/tokens/{id}", params: tok(), hook: failWith(api.CodeProviderTimeout), want: 504},
		{name: "refund too much", method: "POST", path: "/v1/payments/{id}/refunds", params: pay(plugin.CaptureAutomatic), body: text(`{"amount": 99999}`), want: 422},
		{name: "callback forged", method: "POST", path: "/v1/callbacks/{provider}/{name}", params: cb, body: text("{}"), noAuth: true, want: 401,
			callback: func() (*plugin.HTTPResponse, error) {
				return nil, api.Errorf(api.CodeCallbackRejected, "", "bad signature")
			}},
		{name: "callback timeout", method: "POST", path: "/v1/callbacks/{provider}/{name}", params: cb, body: text("{}"), noAuth: true, want: 504,
			callback: func() (*plugin.HTTPResponse, error) {
				return nil, api.Errorf(api.CodeProviderTimeout, "", "plugin did not answer")
			}},
		{name: "callback to nobody", method: "POST", path: "/v1/callbacks/{provider}/{name}", params: cb, body: text("{}"), noAuth: true, want: 404,
			callback: func() (*plugin.HTTPResponse, error) { return nil, api.Errorf(api.CodeNotFound, "", "no such provider") }},
	}

	exercised := map[string]bool{}
	for _, ex := range exchanges {
		t.Run(ex.name, func(t *testing.T) {
			op := spec.operation(t, ex.method, ex.path)
			body := ex.body
			if body == nil {
				if example, ok := spec.requestExample(op); ok {
					b, err := json.Marshal(example)
					if err != nil {
						t.Fatal(err)
					}
					s := string(b)
					body = &s
				}
			}
			var rd *strings.Reader
			if body != nil {
				rd = strings.NewReader(*body)
			} else {
				rd = strings.NewReader("")
			}
			target := fillPath(ex.path, ex.params)
			if ex.query != "" {
				target += "?" + ex.query
			}
			r := httptest.NewRequest(ex.method, target, rd)
			if !ex.noAuth {
				r.Header.Set("Authorization", "Bearer "+openAPIKey)
			}
			if body != nil && *body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			for k, v := range ex.header {
				r.Header[k] = []string{v}
			}
			svc.Hook, svc.Callback = nil, nil
			if ex.hook != nil {
				svc.Hook = func(_ context.Context, c httpapitest.Call) error { return ex.hook(c) }
			}
			if ex.callback != nil {
				svc.Callback = func(string, *plugin.HandleCallbackRequest) (*plugin.HTTPResponse, error) { return ex.callback() }
			}
			handler := h
			if ex.handler != nil {
				handler = ex.handler
			}
			w := httptest.NewRecorder()
			handler.ServeHTTP(w, r)
			if w.Code != ex.want {
				t.Fatalf("status %d, want %d (the exchange no longer tests what it says): %s", w.Code, ex.want, w.Body)
			}
			resp, ok := spec.response(op, w.Code)
			if !ok {
				t.Fatalf("%s %s answered %d, which %s does not list for it: %s", ex.method, ex.path, w.Code, openAPIFile, w.Body)
			}
			if w.Code < 300 {
				exercised[ex.method+" "+ex.path] = true
			}
			if w.Header().Get("X-Request-Id") == "" {
				t.Errorf("no X-Request-Id in the answer")
			}
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				return
			}
			schema, ok := spec.jsonSchema(resp)
			if !ok {
				t.Fatalf("%s %s %d answers JSON, but the document gives no application/json schema", ex.method, ex.path, w.Code)
			}
			var v any
			if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
				t.Fatalf("answer is not JSON: %v: %s", err, w.Body)
			}
			for _, p := range spec.check(schema, v, "body") {
				t.Errorf("%s %s %d: %s", ex.method, ex.path, w.Code, p)
			}
		})
	}
	for _, op := range spec.operations(t) {
		if !exercised[op.method+" "+op.path] {
			t.Errorf("no exchange gets a success from %s %s: add one to TestOpenAPIResponses", op.method, op.path)
		}
	}
}

func TestOpenAPISchemas(t *testing.T) {
	spec := loadOpenAPI(t)
	// The schemas and the Go types they describe. response marks the
	// types payhost sends, whose fields without omitempty are always
	// present and so required; a request's required fields are its
	// semantics, checked only to be properties. (Error is in responses
	// as the HTTP layer's envelope, which always sends param: the live
	// answers of TestOpenAPIResponses check its required fields.)
	types := []struct {
		schema   string
		typ      reflect.Type
		response bool
	}{
		{"Customer", reflect.TypeFor[api.Customer](), true},
		{"Card", reflect.TypeFor[api.Card](), false},
		{"CardInfo", reflect.TypeFor[plugin.CardInfo](), true},
		{"CreatePaymentRequest", reflect.TypeFor[api.CreatePaymentRequest](), false},
		{"CaptureRequest", reflect.TypeFor[api.CaptureRequest](), false},
		{"RefundRequest", reflect.TypeFor[api.RefundRequest](), false},
		{"CreateTokenRequest", reflect.TypeFor[api.CreateTokenRequest](), false},
		{"NextAction", reflect.TypeFor[api.NextAction](), true},
		{"Failure", reflect.TypeFor[api.Failure](), true},
		{"Attempt", reflect.TypeFor[api.Attempt](), true},
		{"Payment", reflect.TypeFor[api.Payment](), true},
		{"Refund", reflect.TypeFor[api.Refund](), true},
		{"Token", reflect.TypeFor[api.Token](), true},
		{"Event", reflect.TypeFor[api.Event](), true},
		{"EventDelivery", reflect.TypeFor[api.EventDelivery](), true},
		{"DeliveryAttempt", reflect.TypeFor[api.DeliveryAttempt](), true},
		{"EventList", reflect.TypeFor[api.EventList](), true},
		{"Error", reflect.TypeFor[api.Error](), false},
	}
	for _, tc := range types {
		schema := spec.schema(t, tc.schema)
		props := slices.Sorted(maps.Keys(asMap(schema["properties"])))
		fields, always := jsonFields(tc.typ)
		if !slices.Equal(props, fields) {
			t.Errorf("schema %s has properties %v; %s has JSON fields %v", tc.schema, props, tc.typ, fields)
		}
		required := strs(schema["required"])
		sort.Strings(required)
		for _, r := range required {
			if !slices.Contains(props, r) {
				t.Errorf("schema %s requires %q, which is not one of its properties", tc.schema, r)
			}
		}
		if tc.response && !slices.Equal(required, always) {
			t.Errorf("schema %s requires %v; %s always sends %v (its fields without omitempty)", tc.schema, required, tc.typ, always)
		}
	}

	enums := []struct {
		schema, property string
		want             []string
	}{
		{"Payment", "status", stringsOf(plugin.PaymentStatuses)},
		{"Payment", "method", stringsOf(plugin.PaymentMethods)},
		{"Payment", "capture", stringsOf(plugin.CaptureModes)},
		{"CreatePaymentRequest", "method", stringsOf(plugin.PaymentMethods)},
		{"CreatePaymentRequest", "capture", stringsOf(plugin.CaptureModes)},
		{"Refund", "status", stringsOf(plugin.RefundStatuses)},
		{"Token", "status", stringsOf(plugin.TokenStatuses)},
		{"EventDelivery", "status", []string{api.DeliveryPending, api.DeliveryDelivered, api.DeliveryFailed}},
		{"NextAction", "type", stringsOf(plugin.NextActionTypes)},
		{"Attempt", "operation", stringsOf(store.Operations)},
		{"Attempt", "status", stringsOf(store.AttemptStatuses)},
		{"Attempt", "error_kind", stringsOf(plugin.ErrorKinds)},
		{"Error", "code", errorCodes(t)},
	}
	for _, e := range enums {
		got := strs(asMap(asMap(spec.schema(t, e.schema)["properties"])[e.property])["enum"])
		sort.Strings(got)
		sort.Strings(e.want)
		if !slices.Equal(got, e.want) {
			t.Errorf("schema %s property %s: enum %v, want %v", e.schema, e.property, got, e.want)
		}
	}

	// Every $ref resolves, and every documented example matches its
	// schema.
	walk(spec.doc, func(m map[string]any) {
		if ref, ok := m["$ref"].(string); ok {
			if _, err := spec.lookup(ref); err != nil {
				t.Error(err)
			}
		}
		if example, ok := m["example"]; ok {
			if schema, ok := m["schema"]; ok {
				for _, p := range spec.check(schema, jsonRoundTrip(t, example), "example") {
					t.Error(p)
				}
			}
		}
	})
}

// servedRoutes returns the routes routes.go registers, "METHOD /path",
// read from its handle("METHOD", "/path", ...) calls.
func servedRoutes(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "handle" {
			return true
		}
		method, ok1 := stringLit(call.Args[0])
		path, ok2 := stringLit(call.Args[1])
		if ok1 && ok2 {
			routes[method+" "+path] = true
		}
		return true
	})
	if len(routes) < 10 {
		t.Fatalf("found only %d handle(\"METHOD\", \"/path\", ...) calls in routes.go; if the route table changed shape, update servedRoutes", len(routes))
	}
	return routes
}

// errorCodes returns the values of the ErrorCode constants of api/errors.go
// and of this package's respond.go.
func errorCodes(t *testing.T) []string {
	t.Helper()
	var codes []string
	for _, file := range []string{"../../api/errors.go", "respond.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if !isErrorCodeType(vs.Type) {
					continue
				}
				for _, v := range vs.Values {
					if s, ok := stringLit(v); ok {
						codes = append(codes, s)
					}
				}
			}
		}
	}
	if len(codes) < 10 {
		t.Fatalf("found only %d ErrorCode constants; if their declarations changed shape, update errorCodes", len(codes))
	}
	return codes
}

func isErrorCodeType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "ErrorCode"
	case *ast.SelectorExpr:
		return e.Sel.Name == "ErrorCode"
	}
	return false
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// jsonFields returns the JSON member names of struct type t, sorted, and
// those without omitempty (always encoded).
func jsonFields(t reflect.Type) (names, always []string) {
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names = append(names, name)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			always = append(always, name)
		}
	}
	sort.Strings(names)
	sort.Strings(always)
	return names, always
}

func stringsOf[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// pathParam finds the {parameters} of a path template.
var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// fillPath fills path's parameters from params, "x" when not given.
func fillPath(path string, params map[string]string) string {
	return pathParam.ReplaceAllStringFunc(path, func(m string) string {
		if v, ok := params[m[1:len(m)-1]]; ok {
			return v
		}
		return "x"
	})
}

// --- the document ---

// openAPI is the parsed document.
type openAPI struct{ doc map[string]any }

// specOperation is one documented operation.
type specOperation struct {
	method, path string
	op           map[string]any
}

func loadOpenAPI(t *testing.T) openAPI {
	t.Helper()
	src, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseYAMLSubset(string(src))
	if err != nil {
		t.Fatal(err)
	}
	doc, ok := v.(map[string]any)
	if !ok || doc["openapi"] == nil {
		t.Fatalf("%s is not an OpenAPI document", openAPIFile)
	}
	return openAPI{doc}
}

var operationMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations lists every documented operation, sorted by path and method.
func (s openAPI) operations(t *testing.T) []specOperation {
	t.Helper()
	paths := asMap(s.doc["paths"])
	if len(paths) == 0 {
		t.Fatalf("%s documents no paths", openAPIFile)
	}
	var ops []specOperation
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		item := asMap(paths[path])
		for _, m := range operationMethods {
			if op, ok := item[m].(map[string]any); ok {
				ops = append(ops, specOperation{strings.ToUpper(m), path, op})
			}
		}
	}
	return ops
}

// operation returns the documented operation method path.
func (s openAPI) operation(t *testing.T, method, path string) map[string]any {
	t.Helper()
	op, ok := asMap(asMap(s.doc["paths"])[path])[strings.ToLower(method)].(map[string]any)
	if !ok {
		t.Fatalf("%s does not document %s %s", openAPIFile, method, path)
	}
	return op
}

// requestExample returns the example of op's JSON request body.
func (s openAPI) requestExample(op map[string]any) (any, bool) {
	body := s.deref(op["requestBody"])
	mt := asMap(asMap(body["content"])["application/json"])
	ex, ok := mt["example"]
	return ex, ok
}

// response returns op's documented response for status (or its default).
func (s openAPI) response(op map[string]any, status int) (map[string]any, bool) {
	responses := asMap(op["responses"])
	r, ok := responses[strconv.Itoa(status)]
	if !ok {
		r, ok = responses["default"]
	}
	if !ok {
		return nil, false
	}
	return s.deref(r), true
}

// jsonSchema returns a response's application/json schema.
func (s openAPI) jsonSchema(resp map[string]any) (any, bool) {
	schema, ok := asMap(asMap(resp["content"])["application/json"])["schema"]
	return schema, ok
}

// schema returns the component schema name.
func (s openAPI) schema(t *testing.T, name string) map[string]any {
	t.Helper()
	sch, ok := asMap(asMap(s.doc["components"])["schemas"])[name].(map[string]any)
	if !ok {
		t.Fatalf("%s has no schema %s", openAPIFile, name)
	}
	return sch
}

// lookup resolves a local reference ("#/components/schemas/Payment").
func (s openAPI) lookup(ref string) (map[string]any, error) {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("$ref %q is not a local reference", ref)
	}
	var node any = s.doc
	for part := range strings.SplitSeq(path, "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := node.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
		if node, ok = m[part]; !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	m, ok := node.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("$ref %q is not an object", ref)
	}
	return m, nil
}

// deref follows node's $ref, if it has one.
func (s openAPI) deref(node any) map[string]any {
	m := asMap(node)
	for {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var err error
		if m, err = s.lookup(ref); err != nil {
			return nil
		}
	}
}

// check returns what is wrong with value v as schema describes it: a
// member the schema does not have, a required member missing, a value of
// the wrong type or not in the enumeration. where names v.
func (s openAPI) check(schema, v any, where string) []string {
	sch := s.deref(schema)
	if sch == nil {
		return []string{where + ": the schema does not resolve"}
	}
	if v == nil {
		if sch["nullable"] == true {
			return nil
		}
		return []string{where + " is null"}
	}
	if alts, ok := sch["oneOf"].([]any); ok {
		for _, alt := range alts {
			if len(s.check(alt, v, where)) == 0 {
				return nil
			}
		}
		return []string{where + " matches none of its oneOf schemas"}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, where+": "+fmt.Sprintf(format, args...)) }
	switch sch["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("%T, not an object", v)
			break
		}
		props := asMap(sch["properties"])
		extra, open := sch["additionalProperties"].(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			switch ps, ok := props[k]; {
			case ok:
				problems = append(problems, s.check(ps, obj[k], where+"."+k)...)
			case open:
				problems = append(problems, s.check(extra, obj[k], where+"."+k)...)
			default:
				bad("member %q is not in the schema", k)
			}
		}
		for _, r := range strs(sch["required"]) {
			if _, ok := obj[r]; !ok {
				bad("required member %q is missing", r)
			}
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			bad("%T, not an array", v)
			break
		}
		for i, item := range list {
			problems = append(problems, s.check(sch["items"], item, fmt.Sprintf("%s[%d]", where, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("%T, not a string", v)
			break
		}
		if enum := strs(sch["enum"]); enum != nil && !slices.Contains(enum, str) {
			bad("%q is not one of %v", str, enum)
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			bad("%v, not an integer", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%T, not a boolean", v)
		}
	}
	return problems
}

// jsonRoundTrip returns v as encoding/json decodes it (numbers float64).
func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// walk calls fn with every mapping of the document.
func walk(node any, fn func(map[string]any)) {
	switch n := node.(type) {
	case map[string]any:
		fn(n)
		for _, k := range slices.Sorted(maps.Keys(n)) {
			walk(n[k], fn)
		}
	case []any:
		for _, v := range n {
			walk(v, fn)
		}
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// strs returns a list of strings, nil when v is not one.
func strs(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	return out
}

// --- a reader of the YAML subset the document keeps to ---

// The document is read without a YAML library (the module has none):
// parseYAMLSubset reads block mappings and sequences, plain and quoted
// scalars (plain ones resolved as YAML's core schema does: integers,
// floats, true, false, null), flow sequences of scalars ([a, 'b']), {},
// [], and | or > block text with optional - chomping, and comments. It
// refuses the rest (anchors, aliases, tags, flow mappings), so the file
// cannot drift into YAML this reader would misread.

type yamlLine struct {
	num, indent int
	// text is the line without its indentation and trailing spaces.
	text string
}

type yamlReader struct {
	lines []yamlLine
	pos   int
}

func parseYAMLSubset(src string) (any, error) {
	r := &yamlReader{}
	for i, raw := range strings.Split(src, "\n") {
		raw = strings.TrimRight(raw, " \t\r")
		text := strings.TrimLeft(raw, " ")
		if strings.HasPrefix(text, "\t") {
			return nil, fmt.Errorf("%s:%d: a tab in the indentation", openAPIFile, i+1)
		}
		r.lines = append(r.lines, yamlLine{num: i + 1, indent: len(raw) - len(text), text: text})
	}
	r.skip()
	if r.pos == len(r.lines) {
		return nil, fmt.Errorf("%s is empty", openAPIFile)
	}
	v, err := r.node(r.lines[r.pos].indent)
	if err != nil {
		return nil, err
	}
	if r.skip(); r.pos < len(r.lines) {
		return nil, r.errorf("unexpected indentation")
	}
	return v, nil
}

// skip moves past blank lines and comments.
func (r *yamlReader) skip() {
	for r.pos < len(r.lines) && (r.lines[r.pos].text == "" || r.lines[r.pos].text[0] == '#') {
		r.pos++
	}
}

func (r *yamlReader) errorf(format string, args ...any) error {
	line := len(r.lines)
	if r.pos < len(r.lines) {
		line = r.lines[r.pos].num
	}
	return fmt.Errorf("%s:%d: %s (the test reads a subset of YAML; see parseYAMLSubset)", openAPIFile, line, fmt.Sprintf(format, args...))
}

// node reads the block node that starts at the current line.
func (r *yamlReader) node(indent int) (any, error) {
	if isSequenceItem(r.lines[r.pos].text) {
		return r.sequence(indent)
	}
	return r.mapping(indent)
}

func isSequenceItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

func (r *yamlReader) mapping(indent int) (map[string]any, error) {
	m := map[string]any{}
	for {
		r.skip()
		if r.pos == len(r.lines) || r.lines[r.pos].indent < indent {
			return m, nil
		}
		l := r.lines[r.pos]
		if l.indent > indent || isSequenceItem(l.text) {
			return nil, r.errorf("unexpected indentation")
		}
		key, rest, ok, err := splitKey(l.text)
		switch {
		case err != nil:
			return nil, r.errorf("%v", err)
		case !ok:
			return nil, r.errorf("expected key: value")
		}
		if _, dup := m[key]; dup {
			return nil, r.errorf("key %q appears twice", key)
		}
		r.pos++
		if m[key], err = r.value(indent, rest); err != nil {
			return nil, err
		}
	}
}

// value reads the value of a key at indent: rest of its line, or the
// block below it.
func (r *yamlReader) value(indent int, rest string) (any, error) {
	switch {
	case rest == "":
		r.skip()
		if r.pos == len(r.lines) {
			return nil, nil
		}
		l := r.lines[r.pos]
		if l.indent > indent || (l.indent == indent && isSequenceItem(l.text)) {
			return r.node(l.indent)
		}
		return nil, nil
	case rest[0] == '|' || rest[0] == '>':
		return r.blockText(indent, rest)
	}
	v, err := yamlScalar(rest)
	if err != nil {
		return nil, r.errorf("%v", err)
	}
	return v, nil
}

func (r *yamlReader) sequence(indent int) ([]any, error) {
	list := []any{}
	for {
		r.skip()
		if r.pos == len(r.lines) {
			return list, nil
		}
		l := r.lines[r.pos]
		if l.indent < indent || (l.indent == indent && !isSequenceItem(l.text)) {
			return list, nil
		}
		if l.indent > indent {
			return nil, r.errorf("unexpected indentation")
		}
		item := strings.TrimLeft(l.text[1:], " ")
		if item == "" { // the item is the block below the dash
			r.pos++
			r.skip()
			var v any
			if r.pos < len(r.lines) && r.lines[r.pos].indent > indent {
				var err error
				if v, err = r.node(r.lines[r.pos].indent); err != nil {
					return nil, err
				}
			}
			list = append(list, v)
			continue
		}
		if _, _, isKey, err := splitKey(item); err == nil && isKey {
			// A mapping whose first key shares the dash's line: read it as
			// if that key began its own line, at its column.
			col := l.indent + len(l.text) - len(item)
			r.lines[r.pos] = yamlLine{num: l.num, indent: col, text: item}
			v, err := r.mapping(col)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			continue
		}
		r.pos++
		v, err := yamlScalar(item)
		if err != nil {
			return nil, r.errorf("%v", err)
		}
		list = append(list, v)
	}
}

// blockText reads | (literal) or > (folded) text below a key at indent.
func (r *yamlReader) blockText(indent int, header string) (string, error) {
	folded, chomp := header[0] == '>', header[1:]
	if chomp != "" && chomp != "-" {
		return "", r.errorf("block text header %q", header)
	}
	var lines []string
	content := -1
	for r.pos < len(r.lines) {
		l := r.lines[r.pos]
		if l.text != "" && l.indent <= indent {
			break
		}
		r.pos++
		if l.text == "" {
			lines = append(lines, "")
			continue
		}
		if content < 0 {
			content = l.indent
		}
		if l.indent < content {
			return "", r.errorf("block text less indented than its first line")
		}
		lines = append(lines, strings.Repeat(" ", l.indent-content)+l.text)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var b strings.Builder
	for i, s := range lines {
		switch {
		case i == 0:
		case !folded:
			b.WriteByte('\n')
		case s == "":
			b.WriteByte('\n')
		case lines[i-1] == "":
		default:
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	if chomp == "" {
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// splitKey splits "key: rest" (rest may be empty); ok is false when text
// is not a key.
func splitKey(text string) (key, rest string, ok bool, err error) {
	if text[0] == '\'' || text[0] == '"' {
		end, err := quotedEnd(text)
		if err != nil {
			return "", "", false, err
		}
		after := text[end:]
		if after != ":" && !strings.HasPrefix(after, ": ") {
			return "", "", false, nil
		}
		k, err := yamlScalar(text[:end])
		return k.(string), strings.TrimSpace(after[1:]), true, err
	}
	if strings.HasSuffix(text, ":") {
		return text[:len(text)-1], "", !strings.Contains(text[:len(text)-1], ": "), nil
	}
	i := strings.Index(text, ": ")
	if i < 0 || text[0] == '[' || text[0] == '{' {
		return "", "", false, nil
	}
	return text[:i], strings.TrimSpace(text[i+2:]), true, nil
}

// quotedEnd returns the length of the quoted scalar text starts with.
func quotedEnd(text string) (int, error) {
	q := text[0]
	for i := 1; i < len(text); i++ {
		switch {
		case q == '"' && text[i] == '\\':
			i++
		case text[i] == q && q == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++
		case text[i] == q:
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated quoted scalar %s", text)
}

var (
	yamlInt   = regexp.MustCompile(`^[-+]?[0-9]+$`)
	yamlFloat = regexp.MustCompile(`^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
)

// yamlScalar reads a scalar or a flow sequence of scalars.
func yamlScalar(s string) (any, error) {
	switch s[0] {
	case '\'', '"':
		end, err := quotedEnd(s)
		if err != nil {
			return nil, err
		}
		if after := strings.TrimSpace(s[end:]); after != "" && after[0] != '#' {
			return nil, fmt.Errorf("text after the quoted scalar %s", s)
		}
		if s[0] == '\'' {
			return strings.ReplaceAll(s[1:end-1], "''", "'"), nil
		}
		return strconv.Unquote(s[:end])
	case '[':
		inner, ok := strings.CutSuffix(s, "]")
		if !ok {
			return nil, fmt.Errorf("a flow sequence must end its line: %s", s)
		}
		inner = strings.TrimSpace(inner[1:])
		list := []any{}
		for inner != "" {
			var item string
			if inner[0] == '\'' || inner[0] == '"' {
				end, err := quotedEnd(inner)
				if err != nil {
					return nil, err
				}
				item, inner = inner[:end], strings.TrimSpace(inner[end:])
			} else {
				i := strings.IndexByte(inner, ',')
				if i < 0 {
					i = len(inner)
				}
				item, inner = strings.TrimSpace(inner[:i]), inner[i:]
			}
			if strings.ContainsAny(item[:1], "[{&*!") {
				return nil, fmt.Errorf("only scalars in a flow sequence: %s", s)
			}
			v, err := yamlScalar(item)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			if inner != "" {
				rest, ok := strings.CutPrefix(inner, ",")
				if !ok {
					return nil, fmt.Errorf("expected a comma in %s", s)
				}
				inner = strings.TrimSpace(rest)
			}
		}
		return list, nil
	case '{':
		if s == "{}" {
			return map[string]any{}, nil
		}
		return nil, fmt.Errorf("flow mappings are not in the subset: %s", s)
	case '&', '*', '!', '|', '>', '%', '@', '`':
		return nil, fmt.Errorf("%q starts an unsupported construct: %s", s[0], s)
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	switch {
	case s == "true":
		return true, nil
	case s == "false":
		return false, nil
	case s == "null" || s == "~":
		return nil, nil
	case yamlInt.MatchString(s):
		return strconv.ParseInt(s, 10, 64)
	case yamlFloat.MatchString(s):
		return strconv.ParseFloat(s, 64)
	}
	return s, nil
}

// TestYAMLSubsetReader checks the reader against the constructs the
// document uses, and its refusals.
func TestYAMLSubsetReader(t *testing.T) {
	src := `# a comment
a: 1
b: 'it''s'
c: "x\ty"
d: [x, 'y z', 3]
e: {}
f:
  - one
  - k: v
    n: 2
  -
    deep: true
g: >-
  folded
  text

  and more
h: |
  line one
    indented
i:
- same indent
j: 1.5
k: null
'/path': plain # comment
`
	got, err := parseYAMLSubset(src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a": int64(1), "b": "it's", "c": "x\ty", "d": []any{"x", "y z", int64(3)}, "e": map[string]any{},
		"f": []any{"one", map[string]any{"k": "v", "n": int64(2)}, map[string]any{"deep": true}},
		"g": "folded text\nand more", "h": "line one\n  indented\n", "i": []any{"same indent"},
		"j": 1.5, "k": nil, "/path": "plain",
	}
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("got\n%s", gb)
	}
	for _, bad := range []string{"a: &x 1", "a: *x", "a: {b: 1}", "a: 1\n a: 2", "a: 1\na: 2", "a: 'open", "a: !!str 1"} {
		if _, err := parseYAMLSubset(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	if _, err := parseYAMLSubset("a:\n\tb: 1"); err == nil {
		t.Error("a tab in the indentation was accepted")
	}
}
