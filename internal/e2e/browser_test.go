package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// chromiumFlags are the browser's command line: headless, no sandbox
// (containers and root), nothing that reaches the network on its own.
var chromiumFlags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-background-networking", "disable-component-update",
	"disable-sync", "no-first-run", "disable-quic",
	// /dev/shm is 64 MB in a default container; Chromium crashes when it fills.
	"disable-dev-shm-usage",
}

// chromium finds the browser for the test, or skips it (or fails it,
// with PAYHOST_REQUIRE_BROWSER=1) saying why.
func chromium(t *testing.T) string {
	t.Helper()
	path, required, why := findChromium(os.Getenv, func(p string) bool { _, err := os.Stat(p); return err == nil }, exec.LookPath)
	switch {
	case path != "":
		return path
	case required:
		t.Fatal(why)
	default:
		t.Skip(why)
	}
	return ""
}

// findChromium looks for the browser: $PAYHOST_CHROMIUM, /usr/bin/chromium
// (Debian's package, as CI installs it), then the usual names on PATH.
// Without one, why says what was tried and how to fix it, and required
// says whether that is a failure (PAYHOST_REQUIRE_BROWSER=1) or a skip.
func findChromium(getenv func(string) string, exists func(string) bool, lookPath func(string) (string, error)) (path string, required bool, why string) {
	required = getenv("PAYHOST_REQUIRE_BROWSER") == "1"
	if p := getenv("PAYHOST_CHROMIUM"); p != "" {
		if exists(p) {
			return p, required, ""
		}
		return "", true, "PAYHOST_CHROMIUM=" + p + " does not exist"
	}
	if exists("/usr/bin/chromium") {
		return "/usr/bin/chromium", required, ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := lookPath(name); err == nil {
			return p, required, ""
		}
	}
	why = "no Chromium found (looked at $PAYHOST_CHROMIUM, /usr/bin/chromium, and chromium, chromium-browser, google-chrome on PATH): install it (Debian: apt-get install chromium) or set PAYHOST_CHROMIUM"
	if required {
		why += "; PAYHOST_REQUIRE_BROWSER=1 makes this a failure"
	}
	return "", required, why
}

// screenshotDir is where the test saves its screenshots:
// $PAYHOST_E2E_SCREENSHOTS when set, else a temporary directory.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("PAYHOST_E2E_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", abs)
	return abs
}

// startBrowser starts headless Chromium with a fresh profile and returns
// a context for new tabs; the browser stops when the test ends.
func startBrowser(t *testing.T, path string) (context.Context, *lockedBuffer) {
	t.Helper()
	profile, err := os.MkdirTemp("", "payhost-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's helpers may still write into the profile for a
		// moment after the browser exits.
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	output := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(900, 1000),
		chromedp.CombinedOutput(output),
	}
	for _, f := range chromiumFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	allocator, cancelAllocator := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocator)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAllocator() // waits for the browser to exit
	})
	// The first action starts the browser, which lives as long as the
	// context it ran on: browser itself, not one with a timeout.
	type started struct {
		version string
		err     error
	}
	done := make(chan started, 1)
	go func() {
		v, err := chromedp.Run(browser, chromedp.Evaluate[string]("navigator.userAgent"))
		done <- started{v, err}
	}()
	select {
	case s := <-done:
		if s.err != nil {
			t.Fatalf("starting %s: %v\n%s", path, s.err, output)
		}
		t.Logf("browser: %s (%s)", path, s.version)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not start within 30 s:\n%s", path, output)
	}
	return browser, output
}

// redirectFlow is one provider's redirect flow, as the customer lives it.
type redirectFlow struct {
	name     string // of the subtest and the screenshots
	gateway  string // payhost sandbox's name of the emulator
	provider string // the instance routing must pick
	route    string
	req      api.CreatePaymentRequest
	amount   string            // what the hosted page shows
	typed    map[string]string // input id -> what the customer types
	button   string            // the button the customer presses: pay, fail
	// want is the payment's final status; its merchant event is
	// "payment.<want>".
	want plugin.PaymentStatus
	// back are query parameters the gateway adds to the return URL.
	back []string
}

// testCard is what the customer types on Red Dot's page: its test card
// that is approved.
var testCard = map[string]string{
	"card_no":    "4111111111111111",
	"exp_date":   time.Now().AddDate(3, 0, 0).Format("012006"),
	"cvv2":       "123",
	"payer_name": "Ada Lovelace",
}

var redirectFlows = []redirectFlow{{
	name: "appotapay", gateway: "appotapay", provider: "appotapay.vn", route: "vietnam",
	req: api.CreatePaymentRequest{
		Amount: 150000, Currency: "VND", Method: plugin.MethodBank, Description: "Cà phê sữa đá, 1 kg",
		Customer: &api.Customer{Email: "ada@example.com", IP: "127.0.0.1"},
	},
	amount: "150000 VND", button: "pay", want: plugin.StatusSucceeded,
	back: []string{"errorCode", "appotapayTransId", "signature"},
}, {
	name: "redotpay", gateway: "redotpay", provider: "redotpay.checkout", route: "crypto",
	req: api.CreatePaymentRequest{
		Amount: 1050, Currency: "USD", Method: plugin.MethodWallet, Description: "Sticker pack",
		Customer: &api.Customer{ID: "cus_ada"},
	},
	amount: "10.5 USD", button: "pay", want: plugin.StatusSucceeded,
}, {
	// A card payment without card data: Red Dot's hosted page asks for
	// the card, so it never reaches the merchant or payhost.
	name: "reddot", gateway: "reddot", provider: "reddot.sg", route: "cards",
	req: api.CreatePaymentRequest{
		Amount: 2500, Currency: "SGD", Method: plugin.MethodCard, Description: "Two mugs",
	},
	amount: "25.00 SGD", typed: testCard, button: "pay", want: plugin.StatusSucceeded,
	back: []string{"transaction_id"},
}, {
	// The customer presses Fail: Red Dot declines, tells payhost, and
	// the payment fails (the flow's checks can tell).
	name: "reddot-declined", gateway: "reddot", provider: "reddot.sg", route: "cards",
	req: api.CreatePaymentRequest{
		Amount: 1999, Currency: "SGD", Method: plugin.MethodCard, Description: "A teapot",
	},
	amount: "19.99 SGD", typed: testCard, button: "fail", want: plugin.StatusFailed,
	back: []string{"transaction_id"},
}}

// TestBrowserRedirectFlows drives headless Chromium through each
// provider's redirect flow against real payhost sandbox and payhost serve
// processes; see the package documentation.
func TestBrowserRedirectFlows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds payhost and the plugins, runs them and Chromium")
	}
	browserPath := chromium(t)
	shots := screenshotDir(t)
	bin := binaries(t)

	emulators := startSandbox(t, bin)
	shop := newMerchant(t)
	addr := freeAddrs(t, 1)[0]
	dir, env := quickstartWorkspace(t, bin,
		"QUICKSTART_LISTEN="+addr,
		"QUICKSTART_PUBLIC_URL=http://"+addr,
		"QUICKSTART_REDOTPAY_URL="+emulators.urls["redotpay"],
		"QUICKSTART_APPOTAPAY_URL="+emulators.urls["appotapay"],
		"QUICKSTART_REDDOT_URL="+emulators.urls["reddot"],
		"QUICKSTART_WEBHOOK_URL="+shop.URL+webhookPath,
	)
	serve := startProcess(t, env, regexp.MustCompile(`payhost is serving on http://`),
		filepath.Join(bin, "payhost"), "serve", "-config", dir, "-shutdown-timeout", "10s")
	ph := payhostAPI{t: t, base: "http://" + addr}
	browser, browserOutput := startBrowser(t, browserPath)

	for i, flow := range redirectFlows {
		ok := t.Run(flow.name, func(t *testing.T) {
			runFlow(t, browser, shots, fmt.Sprintf("%d-%s", i+1, flow.name), flow, emulators, shop, ph)
		})
		if !ok {
			t.Logf("payhost serve's log:\n%s", serve.stderr)
			t.Logf("the browser's output:\n%s", browserOutput)
		}
	}

	if err := serve.stop(t); err != nil {
		t.Errorf("payhost serve exited with %v:\n%s", err, serve.stderr)
	}
	if err := emulators.stop(t); err != nil {
		t.Errorf("payhost sandbox exited with %v:\n%s", err, emulators.stderr)
	}
	noSecrets(t, "payhost serve's log", serve.stderr.String()+serve.stdout.String(), false)
}

// runFlow is one provider's flow: the merchant creates the payment, the
// customer pays on the gateway's page in the browser and comes back, and
// payhost reports the payment succeeded, through the API and the webhook.
func runFlow(t *testing.T, browser context.Context, shots, prefix string, flow redirectFlow, emulators *sandbox, shop *merchant, ph payhostAPI) {
	order := "e2e-" + flow.name
	returnURL := shop.URL + returnPath + "?order=" + order
	req := flow.req
	req.Reference, req.ReturnURL = order, returnURL
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}

	var p api.Payment
	if status := ph.call("POST", "/v1/payments", order, string(body), &p); status != http.StatusCreated {
		t.Fatalf("POST /v1/payments: HTTP %d %+v", status, p)
	}
	if p.Status != plugin.StatusRequiresAction || p.Provider != flow.provider || p.Route != flow.route ||
		p.NextAction == nil || p.NextAction.Type != plugin.ActionRedirect || !strings.HasPrefix(p.NextAction.URL, emulators.urls[flow.gateway]+"/") {
		t.Fatalf("created: %s at %s by route %q, next action %+v; want requires_action at %s by route %q, redirected to %s",
			p.Status, p.Provider, p.Route, p.NextAction, flow.provider, flow.route, emulators.urls[flow.gateway])
	}

	tab, closeTab := chromedp.NewContext(browser)
	defer closeTab()
	ctx, cancel := context.WithTimeout(tab, 45*time.Second)
	defer cancel()
	step := 0
	shot := func(label string) {
		t.Helper()
		step++
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", label, err)
		}
		checkScreenshot(t, label, b)
		if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%d-%s.png", prefix, step, label)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The customer follows next_action.url to the gateway's page.
	if err := chromedp.Do(ctx, chromedp.Navigate(p.NextAction.URL), chromedp.WaitVisible(chromedp.ID("pay"))); err != nil {
		t.Fatalf("opening %s: %v", p.NextAction.URL, err)
	}
	shot("hosted-page")
	if shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("amount"))); err != nil || strings.TrimSpace(shown) != flow.amount {
		t.Errorf("the page shows the amount %q (%v); want %q", shown, err, flow.amount)
	}
	for id, value := range flow.typed {
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(id), value)); err != nil {
			t.Fatalf("typing into #%s: %v", id, err)
		}
	}
	if len(flow.typed) > 0 {
		shot("card-typed")
	}

	// The button, and the gateway sends the browser back to the merchant.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(flow.button)), chromedp.WaitVisible(chromedp.ID("thanks"))); err != nil {
		location, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.Location())
		t.Fatalf("after %s, the browser is at %s, not on the return page: %v", flow.button, location, err)
	}
	shot("returned")
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	landed, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := url.Parse(returnURL)
	if landed.Host != want.Host || landed.Path != want.Path || landed.Query().Get("order") != order {
		t.Errorf("the browser ended on %s; want the return URL %s", location, returnURL)
	}
	for _, key := range flow.back {
		if !landed.Query().Has(key) {
			t.Errorf("the return URL %s lacks %s, which %s adds", location, key, flow.gateway)
		}
	}
	if text, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("order"))); err != nil || text != order {
		t.Errorf("the return page shows order %q (%v), want %q", text, err, order)
	}

	// payhost learnt from the gateway's callback: the API and the signed
	// webhook say what the customer did.
	got := ph.waitStatus(p.ID, string(flow.want))
	captured := int64(0)
	if flow.want == plugin.StatusSucceeded {
		captured = req.Amount
	}
	if got.AmountCaptured != captured || got.Currency != req.Currency || got.ProviderReference == "" {
		t.Errorf("the payment: %s %d captured, provider reference %q; want %d %s captured and the gateway's reference",
			got.Currency, got.AmountCaptured, got.ProviderReference, captured, req.Currency)
	}
	if flow.gateway == "reddot" && landed.Query().Get("transaction_id") != got.ProviderReference {
		t.Errorf("Red Dot returned transaction_id %q; the payment's provider reference is %q", landed.Query().Get("transaction_id"), got.ProviderReference)
	}
	ev := shop.waitEvent(p.ID, "payment."+string(flow.want))
	if ev.Data.Status != flow.want || ev.Data.AmountCaptured != captured {
		t.Errorf("the %s event shows %s with %d captured", ev.Type, ev.Data.Status, ev.Data.AmountCaptured)
	}
}

// checkScreenshot fails the test unless b is a PNG of a page with
// something drawn on it (a blank or failed page is one or two colours).
func checkScreenshot(t *testing.T, label string, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot %s is not a PNG: %v", label, err)
	}
	r := img.Bounds()
	colours := map[[4]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			c := img.At(x, y)
			cr, cg, cb, ca := c.RGBA()
			colours[[4]uint32{cr, cg, cb, ca}] = true
		}
	}
	if r.Dx() < 300 || r.Dy() < 300 || len(colours) < 20 {
		t.Errorf("screenshot %s is %v with %d colours: an empty page?", label, r.Size(), len(colours))
	}
}
