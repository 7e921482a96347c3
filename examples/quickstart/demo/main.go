// Command demo is the quickstart's shop. It plays the merchant against a
// running `payhost serve` (and `payhost sandbox`), and the customer on
// each gateway's hosted page:
//
//  1. it starts the shop's web server: the webhook receiver, which checks
//     every event's Payhost-Signature (signature.go), and the page
//     customers return to;
//  2. it makes one payment through each shipped provider with payhost's
//     HTTP API, each with an Idempotency-Key: VND by bank transfer
//     (AppotaPay), USD by crypto wallet (RedotPay Connect), SGD by card
//     on Red Dot's hosted page;
//  3. for each, the customer opens next_action.url, types what the page
//     asks for and presses Pay, and the browser comes back to the shop;
//  4. it waits for payment.succeeded to reach the webhook, and reads the
//     payment back with GET /v1/payments/{id};
//  5. it refunds part of the card payment and waits for refund.succeeded;
//  6. it prints a summary, and exits 1 if anything did not happen.
//
// scripts/quickstart.sh runs it with `go run`; see README.md one directory
// up. Settings come from the environment, as the script sets them:
//
//	SHOP_API_KEY           the shop's payhost API key (required)
//	SHOP_WEBHOOK_SECRET    the shop's webhook secret (required)
//	QUICKSTART_PUBLIC_URL  payhost's URL (default http://127.0.0.1:8080)
//	QUICKSTART_SHOP_ADDR   where the shop listens (default 127.0.0.1:8090)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// settings are the demo's flags and environment.
type settings struct {
	payhostURL, shopAddr  string
	apiKey, webhookSecret string
	wait                  time.Duration
}

func main() {
	var s settings
	flag.StringVar(&s.payhostURL, "payhost", envOr("QUICKSTART_PUBLIC_URL", "http://127.0.0.1:8080"), "payhost's base URL")
	flag.StringVar(&s.shopAddr, "listen", envOr("QUICKSTART_SHOP_ADDR", "127.0.0.1:8090"), "where the shop's web server listens (payhost's webhook URL must point here)")
	flag.DurationVar(&s.wait, "wait", 30*time.Second, "how long to wait for each webhook")
	flag.Parse()
	// Secrets come from the environment, never from flags: a command
	// line is visible to every user of the machine.
	s.apiKey, s.webhookSecret = os.Getenv("SHOP_API_KEY"), os.Getenv("SHOP_WEBHOOK_SECRET")
	if s.apiKey == "" || s.webhookSecret == "" {
		fmt.Fprintln(os.Stderr, "demo: set SHOP_API_KEY and SHOP_WEBHOOK_SECRET (scripts/quickstart.sh does)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, s, os.Stdout); err != nil {
		fmt.Fprintf(os.Stdout, "\nQuickstart demo FAILED: %v\n", err)
		os.Exit(1)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// order is one thing the shop sells, and how its customer pays.
type order struct {
	gateway string // whose hosted page the customer sees
	req     api.CreatePaymentRequest
	// typed is what the customer types on the hosted page; shown is how
	// the demo prints it.
	typed map[string]string
	shown string
}

// result is what became of an order.
type result struct {
	order   *order
	payment *api.Payment
	event   event // its payment.succeeded
}

func run(ctx context.Context, s settings, w io.Writer) error {
	out := &console{out: w}
	// The shop prints each webhook as it arrives, in the middle of
	// whatever else is happening, as a shop's log would.
	sh, err := startShop(s.shopAddr, s.webhookSecret, func(ev event) { sayEvent(out, ev) })
	if err != nil {
		return err
	}
	defer sh.close()
	out.printf("The shop is up at %s: payhost's webhooks arrive at %s, customers come back to %s.\n", sh.base, webhookPath, returnPath)

	ph := newPayhostAPI(s.payhostURL, s.apiKey)
	readyCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := ph.ready(readyCtx); err != nil {
		return err
	}
	out.printf("payhost is ready at %s.\n", s.payhostURL)

	run := time.Now().Format("150405")
	orders := shopOrders(run, sh.base+returnPath)
	var results []result
	for i, o := range orders {
		out.printf("\n[%d/%d] %s %s with %s\n", i+1, len(orders), money(o.req.Amount, o.req.Currency), methodName(o.req.Method), o.gateway)
		r, err := pay(ctx, s, sh, ph, newCustomer(), o, out, i == 0)
		if err != nil {
			return fmt.Errorf("%s payment: %w", o.gateway, err)
		}
		results = append(results, r)
	}

	card := results[len(results)-1]
	out.printf("\n[refund] The customer sends back part of order %s.\n", card.order.req.Reference)
	rf, refundEvent, err := refund(ctx, s, sh, ph, card.payment, 1000, out)
	if err != nil {
		return fmt.Errorf("refund: %w", err)
	}

	sh.settle(500*time.Millisecond, 5*time.Second)
	if _, _, rejected := sh.stats(); rejected > 0 {
		return fmt.Errorf("%d webhook deliveries did not verify: is SHOP_WEBHOOK_SECRET the secret in the configuration?", rejected)
	}
	summary(out, sh, results, rf, refundEvent)
	return nil
}

// shopOrders are the demo's three orders, numbered with run so that each
// run of the demo makes new payments; customers come back to returnURL.
func shopOrders(run, returnURL string) []*order {
	customer := &api.Customer{ID: "cus_ada", Email: "ada@example.com", Name: "Ada Lovelace", IP: "127.0.0.1"}
	ref := func(n int) string { return "order-" + run + "-" + strconv.Itoa(n) }
	expiry := time.Now().AddDate(3, 0, 0)
	return []*order{{
		gateway: "AppotaPay",
		req: api.CreatePaymentRequest{
			Amount: 150000, Currency: "VND", Method: plugin.MethodBank, // VND has no minor unit: 150,000 dong
			Reference: ref(1), Description: "Cà phê sữa đá beans, 1 kg",
			ReturnURL: returnURL + "?order=" + ref(1), Customer: customer,
		},
	}, {
		gateway: "RedotPay",
		req: api.CreatePaymentRequest{
			Amount: 1050, Currency: "USD", Method: plugin.MethodWallet, // 10.50 USD, paid in crypto
			Reference: ref(2), Description: "Sticker pack",
			ReturnURL: returnURL + "?order=" + ref(2), Customer: customer,
		},
	}, {
		gateway: "Red Dot Payment",
		req: api.CreatePaymentRequest{
			// A card payment without card data: Red Dot's hosted page
			// asks the customer for the card.
			Amount: 2500, Currency: "SGD", Method: plugin.MethodCard,
			Reference: ref(3), Description: "Two mugs",
			ReturnURL: returnURL + "?order=" + ref(3), Customer: customer,
		},
		typed: map[string]string{
			"card_no":    "4111111111111111", // Red Dot's test card that is approved
			"exp_date":   expiry.Format("012006"),
			"cvv2":       "123",
			"payer_name": "Ada Lovelace",
		},
		shown: "card 4111 11** **** 1111, expiry " + expiry.Format("01/2006") + ", CVV2 ***",
	}}
}

// pay makes o's payment and plays its customer, then waits for payhost
// to tell the shop it succeeded. replay also repeats the create request,
// to show the Idempotency-Key at work.
func pay(ctx context.Context, s settings, sh *shop, ph *payhostAPI, c *customer, o *order, out *console, replay bool) (result, error) {
	say := out.say
	key := o.req.Reference // the shop's order id: one payment per order, however often it is sent
	say("shop", "POST /v1/payments  Idempotency-Key: %s  (%s, %s, return_url %s)", key, money(o.req.Amount, o.req.Currency), o.req.Method, o.req.ReturnURL)
	p, err := ph.createPayment(ctx, key, &o.req)
	if err != nil {
		return result{}, err
	}
	say("payhost", "%s %s: provider %s, chosen by route %q", p.ID, p.Status, p.Provider, p.Route)
	if p.Status != plugin.StatusRequiresAction || p.NextAction == nil || p.NextAction.URL == "" {
		return result{}, fmt.Errorf("payment %s is %s without a page for the customer; want requires_action with next_action.url", p.ID, p.Status)
	}
	say("", "next_action: %s %s", p.NextAction.Type, shorten(p.NextAction.URL))
	if replay {
		again, err := ph.createPayment(ctx, key, &o.req)
		if err != nil {
			return result{}, err
		}
		if again.ID != p.ID {
			return result{}, fmt.Errorf("the same Idempotency-Key made a second payment %s beside %s", again.ID, p.ID)
		}
		say("shop", "sends the same request again (a retry after a timeout, say): payhost answers the same %s, no second payment", again.ID)
	}

	page, err := c.open(ctx, p.NextAction.URL)
	if err != nil {
		return result{}, fmt.Errorf("the customer cannot open the payment page: %w", err)
	}
	say("customer", "opens the %s page: %q, %s", o.gateway, page.title, page.amount)
	if o.shown != "" {
		say("customer", "types %s", o.shown)
	}
	say("customer", "presses Pay")
	landed, err := c.press(ctx, page, "pay", o.typed)
	if err != nil {
		return result{}, fmt.Errorf("the customer pressed Pay: %w", err)
	}
	if !cameBack(landed, o.req.ReturnURL) {
		return result{}, fmt.Errorf("the customer ended on %s, not back at the shop (%s)", landed, o.req.ReturnURL)
	}
	say("customer", "is back at the shop: %s", shorten(landed.String()))

	// The return page proves nothing (anyone can type a URL): the shop
	// ships the order when payhost says the payment succeeded.
	waitCtx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	ev, err := sh.waitEvent(waitCtx, p.ID, "payment.succeeded")
	if err != nil {
		return result{}, err
	}
	got, err := ph.getPayment(ctx, p.ID)
	if err != nil {
		return result{}, err
	}
	if got.Status != plugin.StatusSucceeded || got.AmountCaptured != o.req.Amount {
		return result{}, fmt.Errorf("GET /v1/payments/%s: %s with %s captured; want succeeded with %s", p.ID, got.Status, money(got.AmountCaptured, got.Currency), money(o.req.Amount, o.req.Currency))
	}
	say("shop", "GET /v1/payments/%s: %s, %s captured, %s's reference %s", got.ID, got.Status, money(got.AmountCaptured, got.Currency), o.gateway, orDash(got.ProviderReference))
	return result{order: o, payment: got, event: ev}, nil
}

// cameBack says whether the browser landed on returnURL: the same page,
// with the same order, whatever the gateway added to the query (AppotaPay
// adds its signed result, Red Dot the transaction_id).
func cameBack(landed *url.URL, returnURL string) bool {
	want, err := url.Parse(returnURL)
	return err == nil && landed.Scheme == want.Scheme && landed.Host == want.Host && landed.Path == want.Path &&
		landed.Query().Get("order") == want.Query().Get("order")
}

// refund refunds amount of payment p and waits for payhost's event.
func refund(ctx context.Context, s settings, sh *shop, ph *payhostAPI, p *api.Payment, amount int64, out *console) (*api.Refund, *event, error) {
	say := out.say
	key := "refund-" + p.Reference
	say("shop", "POST /v1/payments/%s/refunds  Idempotency-Key: %s  (%s of %s)", p.ID, key, money(amount, p.Currency), money(p.AmountCaptured, p.Currency))
	rf, err := ph.refund(ctx, key, p.ID, &api.RefundRequest{Amount: amount, Reason: "one mug came back"})
	if err != nil {
		return nil, nil, err
	}
	say("payhost", "refund %s: %s", rf.ID, rf.Status)
	if rf.Status == plugin.RefundFailed {
		return rf, nil, fmt.Errorf("refund %s failed: %+v", rf.ID, rf.Failure)
	}
	waitCtx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	ev, err := sh.waitEvent(waitCtx, p.ID, "refund.succeeded")
	switch {
	case err == nil:
	case rf.Status == plugin.RefundPending && errors.Is(err, context.DeadlineExceeded):
		// Some gateways settle refunds later; payhost keeps asking and
		// sends refund.succeeded (or refund.failed) when they do.
		say("shop", "refund %s is still pending: the gateway settles it later, and payhost will send its event then", rf.ID)
		return rf, nil, nil
	default:
		return rf, nil, err
	}
	for _, r := range ev.Data.Refunds {
		if r.ID == rf.ID {
			rf = &r
		}
	}
	if rf.Status != plugin.RefundSucceeded {
		return rf, &ev, fmt.Errorf("the refund.succeeded event shows refund %s as %s", rf.ID, rf.Status)
	}
	got, err := ph.getPayment(ctx, p.ID)
	if err != nil {
		return rf, &ev, err
	}
	say("shop", "GET /v1/payments/%s: %s, %s captured, %s refunded", got.ID, got.Status, money(got.AmountCaptured, got.Currency), money(got.AmountRefunded, got.Currency))
	if got.AmountRefunded != amount {
		return rf, &ev, fmt.Errorf("payment %s shows %s refunded; want %s", got.ID, money(got.AmountRefunded, got.Currency), money(amount, got.Currency))
	}
	return rf, &ev, nil
}

func summary(out *console, sh *shop, results []result, rf *api.Refund, refundEvent *event) {
	out.mu.Lock()
	defer out.mu.Unlock()
	fmt.Fprintf(out.out, "\nSummary\n\n")
	tw := tabwriter.NewWriter(out.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  order\tgateway\tprovider\troute\tamount\tpayment\tstatus\twebhook")
	for _, r := range results {
		p := r.payment
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s verified\n", p.Reference, r.order.gateway, p.Provider, p.Route, money(p.Amount, p.Currency), p.ID, p.Status, r.event.Type)
	}
	_ = tw.Flush()
	p := results[len(results)-1].payment
	event := "no event yet (the gateway settles later)"
	if refundEvent != nil {
		event = refundEvent.Type + " verified"
	}
	fmt.Fprintf(out.out, "\n  refund %s of %s on %s: %s, %s\n", rf.ID, money(rf.Amount, rf.Currency), p.ID, rf.Status, event)
	events, repeats, rejected := sh.stats()
	fmt.Fprintf(out.out, "  webhooks: %d events, every signature verified (%d repeated deliveries ignored, %d rejected)\n", events, repeats, rejected)
	fmt.Fprintf(out.out, "\nQuickstart demo: OK. %d payments succeeded, one through each provider, and the refund went through.\n", len(results))
}

// sayEvent prints a webhook the shop received.
func sayEvent(out *console, ev event) {
	about := ev.Data.Reference
	if about == "" {
		about = ev.Data.ID
	}
	if ev.stale {
		out.say("payhost", "webhook %s about %s (%s): signature verified; older than what the shop knows (deliveries can arrive out of order), so it changes nothing", ev.Type, about, ev.ID)
		return
	}
	out.say("payhost", "webhook %s about %s (%s): signature verified", ev.Type, about, ev.ID)
}

// console prints the story, one line at a time, from the demo and from
// the shop's webhook handler at once.
type console struct {
	mu  sync.Mutex
	out io.Writer
}

// say prints one step: who acts, and what.
func (c *console) say(who, format string, args ...any) {
	c.printf("  %-9s %s\n", who, fmt.Sprintf(format, args...))
}

func (c *console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, format, args...)
}

// exponents are the minor-unit digits of the demo's currencies (ISO 4217).
var exponents = map[string]int{"VND": 0, "USD": 2, "SGD": 2}

// money renders amount minor units of currency: 1050 USD is "10.50 USD".
func money(amount int64, currency string) string {
	e := exponents[currency]
	if e == 0 {
		return fmt.Sprintf("%d %s", amount, currency)
	}
	unit := int64(1)
	for range e {
		unit *= 10
	}
	return fmt.Sprintf("%d.%0*d %s", amount/unit, e, amount%unit, currency)
}

func methodName(m plugin.PaymentMethod) string {
	switch m {
	case plugin.MethodBank:
		return "by bank transfer"
	case plugin.MethodWallet:
		return "from a crypto wallet"
	case plugin.MethodCard:
		return "by card"
	}
	return "by " + string(m)
}

// shorten keeps long URLs (signed links) to one readable line.
func shorten(u string) string {
	if len(u) > 110 {
		return u[:107] + "..."
	}
	return u
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
