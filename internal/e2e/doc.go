// Package e2e holds payhost's end-to-end tests: everything real, nothing
// in process. The tests build payhost and the shipped provider plugins
// with the go command, run `payhost sandbox` (the gateway emulators) and
// `payhost serve` as processes on real ports, and act as the merchant
// over HTTP and as the customer:
//
//   - TestQuickstart runs scripts/quickstart.sh (`make quickstart`) as a
//     user does, on ports of its own, and checks what it prints, what it
//     left in its database, and that it stopped everything it started.
//   - TestBrowserRedirectFlows drives headless Chromium (chromedp, over
//     the DevTools protocol) through each provider's redirect flow:
//     payment created through the API, the gateway's hosted page opened
//     from next_action.url, card typed where the page asks for one, Pay
//     clicked, the browser back on the merchant's return page, then the
//     payment succeeded through the API and in the merchant's signed
//     webhook. It saves a PNG of every step in $PAYHOST_E2E_SCREENSHOTS
//     (else a temporary directory) and logs where. It looks for Chromium
//     at $PAYHOST_CHROMIUM, /usr/bin/chromium, then on PATH, and skips
//     when there is none, unless PAYHOST_REQUIRE_BROWSER=1 (as in CI).
//
// Both use the quickstart's configuration (examples/quickstart), so they
// also keep the example working. The package has no code outside its
// tests; `go test -short` skips them.
package e2e
