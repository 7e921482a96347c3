package emulator

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// page is the hosted payment page: the payment, and a button to pay and
// one to fail, each a form POSTed back to the page's URL.
var page = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>tinypay</title></head>
<body>
<h1>tinypay</h1>
<p>{{.Description}}</p>
<p>Pay <strong>{{.Amount}} {{.Currency}}</strong> by {{.Method}}.</p>
{{if .Pending}}
<form method="post"><input type="hidden" name="action" value="pay"><button>Pay</button></form>
<form method="post"><input type="hidden" name="action" value="fail"><button>Fail</button></form>
{{else}}
<p>This payment is {{.Status}}.</p>
{{end}}
</body>
</html>
`))

// showPage is GET /pay/{id}.
func (e *Emulator) showPage(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	p, ok := e.payments[r.PathValue("id")]
	var data struct {
		Description, Amount, Currency, Method, Status string
		Pending                                       bool
	}
	if ok {
		data.Description, data.Amount, data.Currency, data.Method = p.description, formatAmount(p.amount, p.currency), p.currency, p.method
		data.Status, data.Pending = p.status, p.status == statusPending
	}
	e.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = page.Execute(w, data)
}

// decide is POST /pay/{id}: the customer pays (action=pay) or fails to
// (action=fail). The payment is decided, the callback sent in the
// background, and the customer redirected to the return URL.
func (e *Emulator) decide(w http.ResponseWriter, r *http.Request) {
	status := map[string]string{"pay": statusPaid, "fail": statusFailed}[r.FormValue("action")]
	if status == "" {
		http.Error(w, "action must be pay or fail", http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	p, ok := e.payments[r.PathValue("id")]
	if !ok || p.status != statusPending {
		e.mu.Unlock()
		http.Error(w, "this payment is not waiting for the customer", http.StatusConflict)
		return
	}
	p.status = status
	note := notification{
		EventID: newID("evt_"), Type: "payment." + status, CreatedAt: time.Now().Unix(), Payment: p.view(""),
	}
	notifyURL, returnURL := p.notifyURL, p.returnURL
	e.mu.Unlock()

	e.callbacks.Add(1)
	go e.notify(notifyURL, note)
	back, err := url.Parse(returnURL)
	if err != nil {
		http.Error(w, "the payment's return URL is not a URL", http.StatusInternalServerError)
		return
	}
	q := back.Query()
	q.Set("order_id", note.Payment.OrderID)
	q.Set("status", status)
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusSeeOther)
}

// notification is a callback's body.
type notification struct {
	EventID   string      `json:"event_id"`
	Type      string      `json:"type"`
	CreatedAt int64       `json:"created_at"`
	Payment   paymentJSON `json:"payment"`
}

// notifyAttempts and notifyBackoff pace a callback's deliveries: the
// first at once, then after 200ms, 400ms, ... until a 2xx.
const (
	notifyAttempts = 6
	notifyBackoff  = 200 * time.Millisecond
)

// notify posts a signed callback to the notify URL until it is answered
// with a 2xx, the attempts run out, or the emulator closes. Every
// attempt carries the same body, event id and signature.
func (e *Emulator) notify(notifyURL string, note notification) {
	defer e.callbacks.Done()
	body, err := json.Marshal(note)
	if err != nil {
		e.logf("callback %s: encoding: %v", note.EventID, err)
		return
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := signature(e.cfg.Secret, ts, string(body))
	wait := notifyBackoff
	for attempt := 1; attempt <= notifyAttempts; attempt++ {
		req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, notifyURL, bytes.NewReader(body))
		if err != nil {
			e.logf("callback %s: %v", note.EventID, err)
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Tinypay-Timestamp", ts)
		req.Header.Set("Tinypay-Signature", sig)
		resp, err := e.http.Do(req)
		if err == nil {
			resp.Body.Close()
			e.logf("callback %s (%s) attempt %d: HTTP %d", note.EventID, note.Type, attempt, resp.StatusCode)
			if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
				return
			}
		} else {
			e.logf("callback %s (%s) attempt %d: %v", note.EventID, note.Type, attempt, err)
		}
		select {
		case <-time.After(wait):
			wait *= 2
		case <-e.ctx.Done():
			return
		}
	}
}

// logf logs to the configured logger, if any.
func (e *Emulator) logf(format string, args ...any) {
	if e.cfg.Log != nil {
		e.cfg.Log.Printf(format, args...)
	}
}
