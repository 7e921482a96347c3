package emukit

import (
	"html/template"
	"net/http"
	"sort"
)

// PayPage is what the hosted payment page shows.
type PayPage struct {
	Gateway     string
	Title       string
	OrderID     string
	Amount      string
	Currency    string
	Description string
	// ActionURL receives the form: action=pay|fail|cancel plus Hidden and
	// the Inputs' values.
	ActionURL string
	Hidden    map[string]string
	// Inputs are fields the customer fills in (card number, expiry, ...).
	Inputs []Input
	// Message is shown above the buttons, for example after a failed try.
	Message string
}

// Input is one field on the hosted page.
type Input struct {
	Name, Label, Value, Type, Placeholder string
}

type hiddenField struct{ Name, Value string }

var payPage = template.Must(template.New("pay").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · {{.Gateway}} sandbox</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;background:#f3f4f6;margin:0;padding:2rem;color:#111827}
.card{max-width:26rem;margin:2rem auto;background:#fff;border-radius:12px;box-shadow:0 4px 16px rgba(0,0,0,.08);padding:2rem}
.badge{display:inline-block;font-size:.75rem;background:#fef3c7;color:#92400e;border-radius:4px;padding:.15rem .5rem}
h1{font-size:1.25rem;margin:.75rem 0 .25rem}
.amount{font-size:2rem;font-weight:600;margin:.5rem 0}
.muted{color:#6b7280;font-size:.875rem}
label{display:block;font-size:.875rem;margin-top:.75rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #d1d5db;border-radius:6px;margin-top:.25rem}
.buttons{display:flex;gap:.5rem;margin-top:1.5rem}
button{flex:1;padding:.75rem;border:0;border-radius:6px;font-size:1rem;cursor:pointer}
#pay{background:#16a34a;color:#fff}#fail{background:#dc2626;color:#fff}#cancel{background:#e5e7eb}
.message{background:#fee2e2;color:#991b1b;padding:.5rem;border-radius:6px;margin-top:1rem}
</style>
</head>
<body>
<main class="card">
<span class="badge">{{.Gateway}} sandbox · no real money moves</span>
<h1>{{.Title}}</h1>
<div class="amount" id="amount">{{.Amount}} {{.Currency}}</div>
<div class="muted">Order <span id="order-id">{{.OrderID}}</span></div>
{{if .Description}}<p class="muted">{{.Description}}</p>{{end}}
{{if .Message}}<div class="message" id="message">{{.Message}}</div>{{end}}
<form method="post" action="{{.ActionURL}}" id="pay-form">
{{range .HiddenFields}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}{{range .Inputs}}<label>{{.Label}}<input type="{{or .Type "text"}}" name="{{.Name}}" id="{{.Name}}" value="{{.Value}}" placeholder="{{.Placeholder}}" autocomplete="off"></label>
{{end}}<div class="buttons">
<button type="submit" name="action" value="pay" id="pay">Pay</button>
<button type="submit" name="action" value="fail" id="fail">Fail</button>
<button type="submit" name="action" value="cancel" id="cancel">Cancel</button>
</div>
</form>
</main>
</body>
</html>
`))

// RenderPayPage writes the hosted payment page for p.
func RenderPayPage(w http.ResponseWriter, p PayPage) {
	fields := make([]hiddenField, 0, len(p.Hidden))
	for name, value := range p.Hidden {
		fields = append(fields, hiddenField{name, value})
	}
	sort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = payPage.Execute(w, struct {
		PayPage
		HiddenFields []hiddenField
	}{p, fields})
}

// ErrorPage writes a minimal HTML error page, for hosted-page links that
// point at unknown or finished orders.
func ErrorPage(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = errorPage.Execute(w, message)
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Payment page</title></head>
<body style="font-family:system-ui,sans-serif;padding:2rem"><h1>Payment page unavailable</h1><p id="message">{{.}}</p></body></html>
`))
