package command

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/hashicorp/cli"

	"github.com/payhost/payhost/internal/routing"
	"github.com/payhost/payhost/plugin"
)

func init() {
	register("route", func(m Meta) cli.Command { return &routeCommand{Meta: m} })
}

type routeCommand struct {
	Meta
}

func (c *routeCommand) Synopsis() string {
	return "Explain which route and providers a payment would get"
}

func (c *routeCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost route [-config PATH] -merchant ID -amount N -currency CODE [options]

  Explains where a payment of the merchant would go: the routes that did
  not match and why, the route that matched, and the provider instances
  in the order payhost would try them, with the reason for each, and the
  providers left out because they cannot take the payment. Nothing is
  sent to any gateway. Exits 1 when the payment would find no provider.

  Provider plugins are started once to read their capabilities (once
  payhost init has run, only the binaries payhost.lock.hcl locks); secrets
  read with env() need not be set.

Options:

  -config=PATH        Configuration file or directory (default: the current directory).
  -plugin-dir=DIR     Look for plugins here first, instead of the configured plugin_dir.
  -merchant=ID        The merchant (required).
  -amount=N           Amount in minor units of the currency, as in the API: 1050 is
                      10.50 USD, 50000 is 50000 VND (required).
  -currency=CODE      ISO 4217 currency code (required).
  -method=METHOD      card, bank, wallet, qr or token (default card).
  -capture=MODE       automatic or manual (default automatic).
  -country=CC         The customer's country.
  -reference=REF      The merchant's reference.
  -metadata=KEY=VALUE Metadata; repeat for several keys.
  -id=PAYMENT_ID      The payment id, which picks the provider of a split route
                      (default pay_example).
  -provider=TYPE.NAME Name the provider, as a payment can, bypassing the routes.
  -tokenize           Route a card tokenization instead of a payment (no amount
                      or currency needed).
  -json               Print JSON instead of text.
`) + "\n"
}

// routeFlags are the flags of payhost route.
type routeFlags struct {
	configPath, pluginDir, merchant, provider string
	amount, method, capture                   string
	tokenize, json                            bool
	payment                                   routing.Payment
}

func parseRouteFlags(args []string, stderr io.Writer) (*routeFlags, error) {
	f := &routeFlags{payment: routing.Payment{Metadata: map[string]string{}}}
	fs := flag.NewFlagSet("route", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.configPath, "config", ".", "configuration file or directory")
	fs.StringVar(&f.pluginDir, "plugin-dir", "", "directory searched for plugins first")
	fs.StringVar(&f.merchant, "merchant", "", "merchant id")
	fs.StringVar(&f.amount, "amount", "", "amount in minor units")
	fs.StringVar(&f.payment.Currency, "currency", "", "ISO 4217 currency code")
	fs.StringVar(&f.method, "method", string(plugin.MethodCard), "payment method")
	fs.StringVar(&f.capture, "capture", string(plugin.CaptureAutomatic), "capture mode")
	fs.StringVar(&f.payment.Country, "country", "", "customer's country")
	fs.StringVar(&f.payment.Reference, "reference", "", "merchant's reference")
	fs.Func("metadata", "metadata KEY=VALUE (repeatable)", func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return fmt.Errorf("metadata is written KEY=VALUE")
		}
		f.payment.Metadata[k] = v
		return nil
	})
	fs.StringVar(&f.payment.ID, "id", "pay_example", "payment id")
	fs.StringVar(&f.provider, "provider", "", "provider address type.name")
	fs.BoolVar(&f.tokenize, "tokenize", false, "route a tokenization")
	fs.BoolVar(&f.json, "json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("payhost route takes no arguments, got %q", fs.Args())
	}
	return f, f.check()
}

// check validates the flags and completes the payment.
func (f *routeFlags) check() error {
	p := &f.payment
	p.Method, p.Capture = plugin.PaymentMethod(f.method), plugin.CaptureMode(f.capture)
	if f.tokenize {
		p.Operation = plugin.OpTokenize
	}
	switch {
	case f.merchant == "":
		return errors.New("-merchant is required")
	case !p.Method.Valid():
		return fmt.Errorf("-method %q is not one of card, bank, wallet, qr, token", f.method)
	case !p.Capture.Valid():
		return fmt.Errorf("-capture %q is not automatic or manual", f.capture)
	case f.tokenize && f.amount == "" && p.Currency == "":
		return nil
	case f.amount == "" || p.Currency == "":
		return errors.New("-amount and -currency are required")
	}
	if _, ok := plugin.CurrencyExponent(p.Currency); !ok {
		return fmt.Errorf("-currency %q is not an ISO 4217 code payhost knows", p.Currency)
	}
	n, err := strconv.ParseInt(f.amount, 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("-amount %q is not a whole number of minor units (1050 is 10.50 USD)", f.amount)
	}
	p.Amount = n
	return nil
}

func (c *routeCommand) Run(args []string) int {
	f, err := parseRouteFlags(args, c.Stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(c.Stderr, "Error: %s\n\n%s", err, c.Help())
		}
		return 1
	}
	cfg, diags := c.loadWithPlugins(f.configPath, f.pluginDir)
	diags = withoutMissingEnv(diags)
	if diags.HasErrors() {
		_ = cfg.WriteDiagnostics(c.Stderr, diags, diagnosticsWidth)
		fmt.Fprintln(c.Stderr, "The configuration has errors; fix them (payhost validate lists them) before routing.")
		return 1
	}
	router, err := routing.New(cfg)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", err)
		return 1
	}
	var d *routing.Decision
	if f.provider != "" {
		d, err = router.Pin(f.merchant, f.provider, f.payment)
	} else {
		d, err = router.Route(f.merchant, f.payment)
	}
	if f.json {
		if werr := writeDecisionJSON(c.Stdout, f.payment, d, err); werr != nil {
			fmt.Fprintf(c.Stderr, "Error: %s\n", werr)
			return 1
		}
	} else if d != nil {
		writeDecisionText(c.Stdout, f.payment, d)
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s.\n", err)
		return 1
	}
	return 0
}

// writeDecisionText prints a decision for people.
func writeDecisionText(w io.Writer, p routing.Payment, d *routing.Decision) {
	route := "none matched"
	switch {
	case d.Pinned:
		route = "none: the payment names its provider"
	case d.Route != "":
		route = fmt.Sprintf("%q (%s:%d)", d.Route, d.RouteRange.Filename, d.RouteRange.Start.Line)
	}
	writeColumns(w, "", [][2]string{
		{"Merchant:", d.Merchant},
		{"Payment:", describeRoutePayment(p)},
		{"Route:", route},
	})
	var skipped, candidates, dropped [][2]string
	for _, s := range d.Skipped {
		skipped = append(skipped, [2]string{fmt.Sprintf("  %q", s.Route), s.Reason})
	}
	for i, cand := range d.Candidates {
		candidates = append(candidates, [2]string{fmt.Sprintf("  %d. %s", i+1, cand.Provider), cand.Reason})
	}
	for _, x := range d.Dropped {
		dropped = append(dropped, [2]string{"  - " + x.Provider, x.Reason})
	}
	writeColumns(w, "Routes skipped:", skipped)
	writeColumns(w, "Candidates, in the order they are tried:", candidates)
	writeColumns(w, "Left out:", dropped)
}

// writeColumns prints a titled section of two aligned columns, preceded by
// an empty line; nothing when rows is empty.
func writeColumns(w io.Writer, title string, rows [][2]string) {
	if len(rows) == 0 {
		return
	}
	if title != "" {
		fmt.Fprintf(w, "\n%s\n", title)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	_ = tw.Flush()
}

// describeRoutePayment renders the payment's fields for people.
func describeRoutePayment(p routing.Payment) string {
	var parts []string
	if p.Operation == plugin.OpTokenize {
		parts = append(parts, "tokenization")
	}
	if p.Currency != "" {
		money := plugin.Money{Amount: p.Amount, Currency: p.Currency}
		parts = append(parts, fmt.Sprintf("%d %s minor units (%s)", p.Amount, p.Currency, money))
	}
	parts = append(parts, "method "+string(p.Method), "capture "+string(p.Capture), "id "+p.ID)
	if p.Country != "" {
		parts = append(parts, "country "+p.Country)
	}
	if p.Reference != "" {
		parts = append(parts, "reference "+p.Reference)
	}
	for _, k := range slices.Sorted(maps.Keys(p.Metadata)) {
		parts = append(parts, fmt.Sprintf("metadata %s=%s", k, p.Metadata[k]))
	}
	return strings.Join(parts, ", ")
}

// decisionJSON is the output of payhost route -json.
type decisionJSON struct {
	FormatVersion string           `json:"format_version"`
	Payment       routing.Payment  `json:"payment"`
	Decision      routing.Decision `json:"decision"`
	// RouteDeclared is where the matched route is declared, file:line.
	RouteDeclared string `json:"route_declared,omitempty"`
	// Error is set when the payment would find no provider.
	Error string `json:"error,omitempty"`
}

func writeDecisionJSON(w io.Writer, p routing.Payment, d *routing.Decision, routeErr error) error {
	out := decisionJSON{FormatVersion: "1.0", Payment: p}
	if d != nil {
		out.Decision = *d
		if d.Route != "" {
			out.RouteDeclared = fmt.Sprintf("%s:%d", d.RouteRange.Filename, d.RouteRange.Start.Line)
		}
	}
	if out.Decision.Candidates == nil {
		out.Decision.Candidates = []routing.Candidate{}
	}
	if routeErr != nil {
		out.Error = routeErr.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
