//go:build unix

package e2e

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite" // reads the quickstart's database
)

// quickstartAddrs are the addresses scripts/quickstart.sh takes from the
// environment, each a free port here so that the test runs beside
// anything, a developer's own `make quickstart` included.
var quickstartAddrs = []string{
	"QUICKSTART_PAYHOST_ADDR", "QUICKSTART_REDOTPAY_ADDR", "QUICKSTART_APPOTAPAY_ADDR",
	"QUICKSTART_REDDOT_ADDR", "QUICKSTART_SHOP_ADDR",
}

// runQuickstart runs scripts/quickstart.sh from a directory of its own
// with env, and returns its exit code and everything it printed.
func runQuickstart(t *testing.T, env []string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(repoRoot, "scripts", "quickstart.sh"))
	cmd.Dir = t.TempDir() // the script finds the repository itself
	cmd.Env = processEnv(env)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	case err != nil:
		t.Fatalf("running scripts/quickstart.sh: %v\n%s", err, out)
	}
	return 0, string(out)
}

// TestQuickstart runs `make quickstart`'s script as a user does and
// checks what it printed, what it left in its database, and that it
// stopped everything it started.
func TestQuickstart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds payhost and the plugins and runs the quickstart")
	}
	work := t.TempDir()
	env := []string{"QUICKSTART_DIR=" + work, "QUICKSTART_BIN=" + t.TempDir()}
	addrs := map[string]string{}
	for i, addr := range freeAddrs(t, len(quickstartAddrs)) {
		addrs[quickstartAddrs[i]] = addr
		env = append(env, quickstartAddrs[i]+"="+addr)
	}
	code, out := runQuickstart(t, env)
	if code != 0 {
		t.Fatalf("scripts/quickstart.sh exited with %d:\n%s", code, out)
	}
	t.Logf("scripts/quickstart.sh:\n%s", out)

	// Every step, in order.
	last := -1
	for _, step := range []string{
		"==> 1/5 Building payhost and the provider plugins",
		"==> 2/5 Starting the gateway emulators: payhost sandbox",
		"==> 3/5 Checking and locking examples/quickstart",
		"Success! The configuration is valid.",
		"==> 4/5 Starting payhost serve on http://" + addrs["QUICKSTART_PAYHOST_ADDR"],
		"payhost is serving on http://" + addrs["QUICKSTART_PAYHOST_ADDR"],
		"==> 5/5 Running the shop's demo",
		"The shop is up at http://" + addrs["QUICKSTART_SHOP_ADDR"],
		"Quickstart demo: OK.",
		"==> Stopping payhost serve and the emulators",
		"==> Done: the quickstart worked.",
	} {
		i := strings.Index(out, step)
		if i < 0 || i < last {
			t.Errorf("the output does not say %q (after the step before it)", step)
		}
		last = max(last, i)
	}
	for _, provider := range []string{"appotapay", "reddot", "redotpay"} {
		if !regexp.MustCompile(`- ` + provider + ` v\S+ \(plugin protocol 1\) at \S+: locked \(sha256:[0-9a-f]{64}\)`).MatchString(out) {
			t.Errorf("payhost init did not lock %s", provider)
		}
	}

	// One payment through each provider, each paid on its hosted page,
	// each reported by a verified payment.succeeded webhook and read back
	// as succeeded.
	paid := map[string]string{} // payment id -> provider
	for _, want := range []struct{ provider, route, captured string }{
		{"appotapay.vn", "vietnam", "150000 VND"},
		{"redotpay.checkout", "crypto", "10.50 USD"},
		{"reddot.sg", "cards", "25.00 SGD"},
	} {
		created := regexp.MustCompile(`(pay_\w+) requires_action: provider ` + regexp.QuoteMeta(want.provider) + `, chosen by route "` + want.route + `"`).FindStringSubmatch(out)
		if created == nil {
			t.Errorf("no payment created at %s by route %q", want.provider, want.route)
			continue
		}
		id := created[1]
		paid[id] = want.provider
		for _, line := range []string{
			`customer +is back at the shop: http://` + regexp.QuoteMeta(addrs["QUICKSTART_SHOP_ADDR"]) + `/shop/return\?`,
			`webhook payment\.succeeded about order-\d+-` + strconv.Itoa(len(paid)) + ` \(evt_\w+\): signature verified\n`,
			`GET /v1/payments/` + id + `: succeeded, ` + regexp.QuoteMeta(want.captured) + ` captured`,
		} {
			if !regexp.MustCompile(line).MatchString(out) {
				t.Errorf("payment %s (%s): the output has no line %q", id, want.provider, line)
			}
		}
	}
	if n := len(regexp.MustCompile(`webhook payment\.succeeded about order-\d+-\d \(evt_\w+\): signature verified\n`).FindAllString(out, -1)); n != 3 {
		t.Errorf("%d verified payment.succeeded webhooks in the output, want 3", n)
	}
	if m := regexp.MustCompile(`payhost answers the same (pay_\w+), no second payment`).FindStringSubmatch(out); m == nil || paid[m[1]] != "appotapay.vn" {
		t.Errorf("the idempotent replay did not answer the first payment: %v", m)
	}
	for _, line := range []string{
		`refund (re_\w+): succeeded`,
		`webhook refund\.succeeded about order-\d+-3 \(evt_\w+\): signature verified\n`,
		`25\.00 SGD captured, 10\.00 SGD refunded`,
	} {
		if !regexp.MustCompile(line).MatchString(out) {
			t.Errorf("the output has no line %q", line)
		}
	}

	// The shop verified every event it received, and received every
	// event payhost queued (below).
	received := 0
	if m := regexp.MustCompile(`webhooks: (\d+) events, every signature verified \(0 repeated deliveries ignored, 0 rejected\)`).FindStringSubmatch(out); m != nil {
		received, _ = strconv.Atoi(m[1])
	} else {
		t.Error("the demo does not say every webhook verified")
	}
	checkQuickstartStore(t, filepath.Join(work, "payhost.db"), paid, received)

	// Everything it started has stopped: the processes and their ports.
	for _, name := range []string{"payhost serve", "payhost sandbox"} {
		m := regexp.MustCompile(regexp.QuoteMeta(name) + ` \(pid (\d+)\) stopped`).FindStringSubmatch(out)
		if m == nil {
			t.Errorf("the script does not say it stopped %s", name)
			continue
		}
		pid, _ := strconv.Atoi(m[1])
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s (pid %d) is still there after the script exited (%v)", name, pid, err)
		}
	}
	for name, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("%s (%s) is still in use after the script exited: %v", addr, name, err)
			continue
		}
		ln.Close()
	}

	// No secret of the shop's, no private key, no card number printed or
	// logged; the sandbox's published test credentials may be printed
	// (payhost sandbox does), never logged by payhost.
	noSecrets(t, "the quickstart's output", out, true)
	for _, log := range []string{"payhost.log", "sandbox.log"} {
		b, err := os.ReadFile(filepath.Join(work, log))
		if err != nil {
			t.Fatal(err)
		}
		noSecrets(t, log, string(b), log == "sandbox.log")
	}
}

// checkQuickstartStore reads the database the quickstart's payhost serve
// left: the payments the output names, succeeded at their providers, one
// refund of 10.00 SGD succeeded, and every merchant event delivered: as
// many as the shop received (a requires_action and a succeeded event per
// payment, and refund.succeeded, at least).
func checkQuickstartStore(t *testing.T, path string, paid map[string]string, received int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, provider_instance, status, amount, amount_captured, amount_refunded FROM payments`)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, provider, status string
		var amount, captured, refunded int64
		if err := rows.Scan(&id, &provider, &status, &amount, &captured, &refunded); err != nil {
			t.Fatal(err)
		}
		n++
		wantRefunded := int64(0)
		if provider == "reddot.sg" {
			wantRefunded = 1000
		}
		if paid[id] != provider || status != "succeeded" || captured != amount || refunded != wantRefunded {
			t.Errorf("stored payment %s: %s at %s, %d of %d captured, %d refunded; the output said it succeeded at %q",
				id, status, provider, captured, amount, refunded, paid[id])
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(paid) || n != 3 {
		t.Errorf("%d payments stored, %d in the output; want 3", n, len(paid))
	}

	var refunds []string
	rrows, err := db.Query(`SELECT status || ' ' || amount || ' ' || currency FROM refunds`)
	if err != nil {
		t.Fatal(err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var r string
		if err := rrows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		refunds = append(refunds, r)
	}
	if !slices.Equal(refunds, []string{"succeeded 1000 SGD"}) {
		t.Errorf("stored refunds: %q, want one of 1000 SGD succeeded", refunds)
	}

	var events, delivered int
	if err := db.QueryRow(`SELECT count(*), count(delivered_at) FROM events`).Scan(&events, &delivered); err != nil {
		t.Fatal(err)
	}
	if events < 7 || delivered != events || received != events {
		t.Errorf("%d merchant events stored, %d delivered, %d received by the shop; want at least 7, all delivered and received", events, delivered, received)
	}
}

// TestQuickstartRefusesABusyAddress: with one of its addresses taken, the
// script stops before it starts anything and says which variable moves it.
func TestQuickstartRefusesABusyAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	work := t.TempDir()
	env := []string{"QUICKSTART_DIR=" + work, "QUICKSTART_BIN=" + t.TempDir()}
	for i, addr := range freeAddrs(t, len(quickstartAddrs)) {
		name := quickstartAddrs[i]
		if name == "QUICKSTART_SHOP_ADDR" {
			addr = ln.Addr().String()
		}
		env = append(env, name+"="+addr)
	}
	code, out := runQuickstart(t, env)
	want := ln.Addr().String() + " is in use"
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "QUICKSTART_SHOP_ADDR=127.0.0.1:<port>") {
		t.Errorf("exit %d; want 1 and a message saying %q and naming QUICKSTART_SHOP_ADDR:\n%s", code, want, out)
	}
	if strings.Contains(out, "==> 1/5") || strings.Contains(out, "Stopping") {
		t.Errorf("the script went on after finding the address in use:\n%s", out)
	}
	if entries, _ := os.ReadDir(work); len(entries) > 0 {
		t.Errorf("the script wrote into its work directory: %v", entries)
	}
}

// TestQuickstartStopsEverythingOnInterrupt presses Ctrl-C (SIGINT to the
// script's process group, as a terminal does) once the emulators run: the
// script stops what it started, says so, and exits non-zero.
func TestQuickstartStopsEverythingOnInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds payhost and runs the quickstart")
	}
	env := []string{"QUICKSTART_DIR=" + t.TempDir(), "QUICKSTART_BIN=" + t.TempDir()}
	addrs := freeAddrs(t, len(quickstartAddrs))
	for i, addr := range addrs {
		env = append(env, quickstartAddrs[i]+"="+addr)
	}
	cmd := exec.Command(filepath.Join(repoRoot, "scripts", "quickstart.sh"))
	cmd.Dir = t.TempDir()
	cmd.Env = processEnv(env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group, like a terminal's job
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
	})
	out := &lockedBuffer{}
	started := make(chan struct{})
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(r)
		for once := false; sc.Scan(); {
			out.Write([]byte(sc.Text() + "\n"))
			// The sandbox runs: the script prints its log's path.
			if !once && strings.Contains(sc.Text(), "its log: ") {
				close(started)
				once = true
			}
		}
	}()
	select {
	case <-started:
	case <-copied:
		t.Fatalf("the script ended before the emulators ran:\n%s", out)
	case <-time.After(5 * time.Minute):
		t.Fatalf("the emulators did not start:\n%s", out)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatalf("the script did not exit within a minute of Ctrl-C:\n%s", out)
	}
	<-copied
	t.Logf("scripts/quickstart.sh, interrupted (%v):\n%s", err, out)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Errorf("the script ended with %v after Ctrl-C; want exit status 130 (128 + SIGINT)", err)
	}
	if strings.Contains(out.String(), "quickstart.sh: ") {
		t.Errorf("bash complained while the script stopped (a trap that did not run as written)")
	}
	m := regexp.MustCompile(`payhost sandbox \(pid (\d+)\) stopped`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the script does not say it stopped payhost sandbox:\n%s", out)
	}
	pid, _ := strconv.Atoi(m[1])
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("payhost sandbox (pid %d) is still there (%v)", pid, err)
	}
	if m := regexp.MustCompile(`payhost serve \(pid (\d+)\) stopped`).FindStringSubmatch(out.String()); m != nil {
		pid, _ := strconv.Atoi(m[1])
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("payhost serve (pid %d) is still there (%v)", pid, err)
		}
	}
	for _, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("%s is still in use after the script exited: %v", addr, err)
			continue
		}
		ln.Close()
	}
	if !strings.Contains(out.String(), "quickstart: FAILED") {
		t.Errorf("the script does not say it failed:\n%s", out)
	}
}
