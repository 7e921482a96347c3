package host_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

// TestNoLeaks drives the engine through successes and failures of every
// kind with card data, API keys and secrets in play, then looks for them
// in everything it wrote: the log (plugins' included), the errors it
// returned, every stored row (payments, attempts, refunds, tokens,
// idempotency answers, events) and the webhook deliveries.
func TestNoLeaks(t *testing.T) {
	r := newReceiver(t)
	e := newEnv(t, envConfig{providers: []string{"callback.cb"}, webhookURL: r.URL})
	var errs []string
	keep := func(err error) {
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%+v", err))
		}
	}
	for i, metadata := range []map[string]string{nil, {"fault": "decline"}, {"fault": "unknown"}, {"fault": "not_sent"}, {"fault": "kill"}} {
		key := api.WithIdempotencyKey(fmt.Sprintf("leak-%d", i))
		p, err := e.h.CreatePayment(e.ctx, "acme", e.payment(1050, plugin.CaptureManual, metadata), key)
		keep(err)
		_, err = e.h.CreatePayment(e.ctx, "acme", e.payment(1050, plugin.CaptureManual, metadata), key)
		keep(err)
		if p != nil {
			_, err = e.h.CapturePayment(e.ctx, "acme", p.ID, nil)
			keep(err)
			_, err = e.h.RefundPayment(e.ctx, "acme", p.ID, &api.RefundRequest{Amount: 100})
			keep(err)
			_, err = e.h.SyncPayment(e.ctx, "acme", p.ID)
			keep(err)
		}
	}
	bad := e.payment(1050, plugin.CaptureAutomatic, nil)
	bad.Card.Number = plugin.NewCardNumber("4111 1111 1111 1112")
	_, err := e.h.CreatePayment(e.ctx, "acme", bad)
	keep(err)
	_, err = e.h.CreateToken(e.ctx, "acme", &api.CreateTokenRequest{Method: plugin.MethodCard, Card: e.card()})
	keep(err)
	_, err = e.callback(webhookSecret, plugin.Event{ID: "evt-bad", Type: plugin.EventPayment})
	keep(err)
	srv := httptest.NewServer(e.h.Handler())
	defer srv.Close()
	for _, key := range []string{acmeKey, otherKey + "x"} {
		req, _ := http.NewRequestWithContext(e.ctx, http.MethodPost, srv.URL+"/v1/payments", strings.NewReader(
			`{"amount": 100, "currency": "USD", "method": "card", "card": {"number": "`+cardNumber+`", "exp_month": 12, "exp_year": 2099, "cvc": "`+cardCVC+`"}}`))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	e.h.Close() // flushes the outbox's deliveries and the plugins' logs

	places := map[string]string{
		"log":    e.logs.String(),
		"errors": strings.Join(errs, "\n"),
		"store":  dumpSQLite(t, filepath.Join(e.dir, config.DefaultSQLitePath)),
	}
	var deliveries []string
	for len(r.deliveries) > 0 {
		deliveries = append(deliveries, string((<-r.deliveries).body))
	}
	places["webhook deliveries"] = strings.Join(deliveries, "\n")
	if !strings.Contains(places["store"], "411111") || !strings.Contains(places["log"], "411111******1111") || len(deliveries) == 0 {
		t.Fatalf("the scan sees nothing: %d deliveries, store %.200q", len(deliveries), places["store"])
	}
	secrets := map[string]*regexp.Regexp{
		"card number":         regexp.MustCompile(cardNumber + "|4111 1111 1111 1112|4111111111111112"),
		"CVC":                 regexp.MustCompile(`(?i)cvc\W{0,6}` + cardCVC),
		"merchant API key":    regexp.MustCompile(acmeKey + "|" + otherKey),
		"webhook secret":      regexp.MustCompile(webhookSecret),
		"provider credential": regexp.MustCompile(providerKey),
	}
	for place, text := range places {
		for what, re := range secrets {
			if loc := re.FindStringIndex(text); loc != nil {
				t.Errorf("the %s holds a %s, at %q", place, what, text[max(0, loc[0]-80):min(len(text), loc[1]+20)])
			}
		}
	}
}

// dumpSQLite returns every value of every row of every table of the
// SQLite file at path.
func dumpSQLite(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v\t", v)
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}
