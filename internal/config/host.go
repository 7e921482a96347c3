package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Defaults of the payhost block.
const (
	DefaultListen    = "127.0.0.1:8080"
	DefaultLogLevel  = "info"
	DefaultLogFormat = "text"
)

// LogLevels are the accepted values of log_level, most verbose first.
var LogLevels = []string{"trace", "debug", "info", "warn", "error"}

// LogFormats are the accepted values of log_format.
var LogFormats = []string{"text", "json"}

// Host is the payhost block: how the host listens and logs, and how its
// engine is tuned.
type Host struct {
	// Listen is the HTTP listen address, host:port.
	Listen string
	// PublicURL is the base URL gateways reach the host at (callback URLs
	// are built from it), without a trailing slash. It defaults to
	// http://<listen>, with 127.0.0.1 for an unspecified host.
	PublicURL string
	// PluginDir is where plugins are looked for first, resolved against
	// Config.Dir; "" when not set.
	PluginDir string
	// LogLevel is one of LogLevels; LogFormat one of LogFormats.
	LogLevel  string
	LogFormat string
	// CallTimeout bounds every call to a provider plugin (call_timeout);
	// zero when not set, for the host's default.
	CallTimeout time.Duration
	// IdempotencyWait is how long a request waits for another request of
	// the process holding its idempotency key (idempotency_wait); zero
	// when not set, for the host's default.
	IdempotencyWait time.Duration
	// Reconciler is the reconciler block; its zero fields (all of them
	// without the block) take the host's defaults.
	Reconciler Reconciler
	// DeclRange is the block's header; zero when the configuration has no
	// payhost block.
	DeclRange hcl.Range
}

// Reconciler is the reconciler block of the payhost block: when the host
// asks providers about payments and refunds whose outcome it does not know
// yet. Every field is zero when not set, for the host's default; every
// field set is positive.
type Reconciler struct {
	// Schedule is the delay before each status query of a payment left
	// processing or unknown: the first after the call that left it so,
	// the next after each query; the last repeats. It never decreases.
	Schedule []time.Duration
	// Interval is how often the reconciler looks for payments due.
	Interval time.Duration
	// ActionAge is how long a payment waits for its customer
	// (requires_action) before its provider is asked about it, when its
	// next action does not say when it expires.
	ActionAge time.Duration
	// NotFoundAfter is how long after a call whose outcome is unknown the
	// gateway's "no such payment" resolves it as never received.
	NotFoundAfter time.Duration
	// DeclRange is the block's header; zero without the block.
	DeclRange hcl.Range
}

var hostSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "listen"},
		{Name: "public_url"},
		{Name: "plugin_dir"},
		{Name: "log_level"},
		{Name: "log_format"},
		{Name: "call_timeout"},
		{Name: "idempotency_wait"},
	},
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "reconciler"},
	},
}

var reconcilerSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "schedule"},
		{Name: "interval"},
		{Name: "action_age"},
		{Name: "not_found_after"},
	},
}

// defaultHost is the Host of a configuration without a payhost block.
func defaultHost() *Host {
	return &Host{
		Listen:    DefaultListen,
		PublicURL: defaultPublicURL(DefaultListen),
		LogLevel:  DefaultLogLevel,
		LogFormat: DefaultLogFormat,
	}
}

func decodeHostBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Host, hcl.Diagnostics) {
	h := defaultHost()
	h.DeclRange = block.DefRange
	content, diags := bodyContent(block.Body, hostSchema)
	diags = append(diags, decodeStringAttr(content, "listen", ctx, &h.Listen, checkListen)...)
	h.PublicURL = defaultPublicURL(h.Listen)
	diags = append(diags, decodeStringAttr(content, "public_url", ctx, &h.PublicURL, checkPublicURL)...)
	h.PublicURL = strings.TrimSuffix(h.PublicURL, "/")
	diags = append(diags, decodeStringAttr(content, "plugin_dir", ctx, &h.PluginDir, nil)...)
	diags = append(diags, decodeStringAttr(content, "log_level", ctx, &h.LogLevel, oneOfCheck("log level", LogLevels))...)
	diags = append(diags, decodeStringAttr(content, "log_format", ctx, &h.LogFormat, oneOfCheck("log format", LogFormats))...)
	diags = append(diags, decodeDurationAttr(content, "call_timeout", ctx, &h.CallTimeout)...)
	diags = append(diags, decodeDurationAttr(content, "idempotency_wait", ctx, &h.IdempotencyWait)...)
	for _, b := range content.Blocks {
		// The schema's only block type is reconciler.
		r, d := decodeReconcilerBlock(b, ctx)
		diags = append(diags, d...)
		if h.Reconciler.DeclRange != (hcl.Range{}) {
			diags = diags.Append(duplicate("Duplicate reconciler block", "A reconciler block", h.Reconciler.DeclRange, b.DefRange,
				"The payhost block has one reconciler block; merge them."))
			continue
		}
		h.Reconciler = r
	}
	return h, diags
}

func decodeReconcilerBlock(block *hcl.Block, ctx *hcl.EvalContext) (Reconciler, hcl.Diagnostics) {
	r := Reconciler{DeclRange: block.DefRange}
	content, diags := bodyContent(block.Body, reconcilerSchema)
	diags = append(diags, decodeSchedule(content, ctx, &r.Schedule)...)
	diags = append(diags, decodeDurationAttr(content, "interval", ctx, &r.Interval)...)
	diags = append(diags, decodeDurationAttr(content, "action_age", ctx, &r.ActionAge)...)
	diags = append(diags, decodeDurationAttr(content, "not_found_after", ctx, &r.NotFoundAfter)...)
	return r, diags
}

// decodeDurationAttr evaluates the named attribute when it is set and,
// when it is a positive duration (time.ParseDuration), stores it in dst.
func decodeDurationAttr(content *hcl.BodyContent, name string, ctx *hcl.EvalContext, dst *time.Duration) hcl.Diagnostics {
	var s string
	diags := decodeStringAttr(content, name, ctx, &s, durationCheck(name,
		"Give it a positive duration, or remove it to use the default."))
	if s != "" { // set and valid
		*dst, _ = time.ParseDuration(s)
	}
	return diags
}

// durationCheck returns a check that accepts a positive duration. what
// names the value in the detail; fix says what to do with a zero or
// negative one.
func durationCheck(what, fix string) func(string) (string, string) {
	return func(s string) (string, string) {
		d, err := time.ParseDuration(s)
		if err != nil {
			return "Invalid duration", fmt.Sprintf("The value %q of %s is not a duration (%s). Write a number and a unit, such as %q, %q or %q; the units are ms, s, m and h (a day is %q).",
				s, what, strings.TrimPrefix(err.Error(), "time: "), "30s", "5m", "2h", "24h")
		}
		if d <= 0 {
			return "Invalid duration", fmt.Sprintf("The value %q of %s is not longer than zero. %s", s, what, fix)
		}
		return "", ""
	}
}

// decodeSchedule evaluates the reconciler's schedule when it is set and,
// when it is a non-empty list of positive durations that never decreases,
// stores it in dst. Diagnostics about an element point at that element
// when the list is written out.
func decodeSchedule(content *hcl.BodyContent, ctx *hcl.EvalContext, dst *[]time.Duration) hcl.Diagnostics {
	attr, ok := content.Attributes["schedule"]
	if !ok {
		return nil
	}
	values, diags := evalStrings(attr, ctx, false)
	if diags.HasErrors() {
		return diags
	}
	if len(values) == 0 {
		return diags.Append(&hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Empty reconciler schedule",
			Detail: fmt.Sprintf("The schedule has no delay, so the reconciler would never ask a provider about a payment. List the delays before each status query, such as %s, or remove the argument to use the default.",
				`["1m", "5m", "30m", "2h", "24h"]`),
			Subject: attr.Expr.Range().Ptr(),
		})
	}
	exprs, d := hcl.ExprList(attr.Expr)
	elementRange := func(i int) hcl.Range {
		if !d.HasErrors() && len(exprs) == len(values) {
			return exprs[i].Range()
		}
		return attr.Expr.Range()
	}
	schedule := make([]time.Duration, len(values))
	prev := -1 // the last valid element
	for i, v := range values {
		what := fmt.Sprintf("schedule[%d]", i)
		check := durationCheck(what, "Every delay must be positive; remove the element, or give it a positive duration.")
		if summary, detail := check(v); summary != "" {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  summary,
				Detail:   detail,
				Subject:  elementRange(i).Ptr(),
			})
			continue
		}
		schedule[i], _ = time.ParseDuration(v)
		if prev >= 0 && schedule[i] < schedule[prev] {
			diags = diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Decreasing reconciler schedule",
				Detail: fmt.Sprintf("%s (%q) is shorter than the delay before it, schedule[%d] (%q). The reconciler asks less and less often, so each delay must be at least the previous one; reorder the delays, or lengthen this one.",
					what, v, prev, values[prev]),
				Subject: elementRange(i).Ptr(),
			})
		}
		prev = i
	}
	if diags.HasErrors() {
		return diags
	}
	*dst = schedule
	return diags
}

// decodeStringAttr evaluates the named attribute when it is set and, when
// check (if any) accepts it, stores it in dst. check returns a summary and
// a detail for a bad value.
func decodeStringAttr(content *hcl.BodyContent, name string, ctx *hcl.EvalContext, dst *string, check func(string) (string, string)) hcl.Diagnostics {
	attr, ok := content.Attributes[name]
	if !ok {
		return nil
	}
	s, diags := evalString(attr, ctx)
	if diags.HasErrors() {
		return diags
	}
	if check != nil {
		if summary, detail := check(s); summary != "" {
			return diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  summary,
				Detail:   detail,
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	*dst = s
	return diags
}

// oneOfCheck returns a check that accepts only the given values.
func oneOfCheck(what string, values []string) func(string) (string, string) {
	return func(s string) (string, string) {
		if slices.Contains(values, s) {
			return "", ""
		}
		return "Invalid " + what, fmt.Sprintf("%q is not a %s.%s Use %s.", s, what, didYouMean(s, values), quotedList(values))
	}
}

func checkListen(s string) (string, string) {
	host, port, err := net.SplitHostPort(s)
	if err == nil {
		if n, perr := strconv.Atoi(port); perr != nil || n < 0 || n > 65535 {
			err = fmt.Errorf("port %q is not a number from 0 to 65535", port)
		} else if strings.ContainsAny(host, " /") {
			err = fmt.Errorf("host %q is not a host name or IP address", host)
		}
	}
	if err != nil {
		return "Invalid listen address", fmt.Sprintf("%q is not an address to listen on (%s). Write host:port, such as %q, or %q for every interface.", s, err, DefaultListen, ":8080")
	}
	return "", ""
}

func checkPublicURL(s string) (string, string) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
	case u.Scheme != "http" && u.Scheme != "https":
		err = fmt.Errorf("the scheme must be http or https")
	case u.Host == "":
		err = fmt.Errorf("it has no host")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		err = fmt.Errorf("it must not have user information, a query or a fragment")
	}
	if err != nil {
		return "Invalid public URL", fmt.Sprintf("%q cannot be the base of callback URLs: %s. Write the absolute URL gateways reach this host at, such as %q.", s, err, "https://pay.example.com")
	}
	return "", ""
}

// defaultPublicURL is http://<listen>, with 127.0.0.1 for an empty or
// unspecified listen host.
func defaultPublicURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
