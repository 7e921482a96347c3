package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/cli"
	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/sandbox/appotapay"
	"github.com/payhost/payhost/internal/sandbox/emukit"
	"github.com/payhost/payhost/internal/sandbox/reddot"
	"github.com/payhost/payhost/internal/sandbox/redotpay"
)

func init() {
	register("sandbox", func(m Meta) cli.Command { return &sandboxCommand{Meta: m} })
}

// emulator is what the sandbox needs of each gateway emulator.
type emulator interface {
	http.Handler
	Credentials() []string
	Close()
}

// gateway describes one emulator the sandbox can run.
type gateway struct {
	name, title, defaultAddr string
	build                    func(baseURL string, kit emukit.Options) emulator
}

var gateways = []gateway{
	{"redotpay", "RedotPay Connect (official RSA API and seed profile)", "127.0.0.1:8901",
		func(base string, kit emukit.Options) emulator {
			return redotpay.New(redotpay.Config{BaseURL: base, Kit: kit})
		}},
	{"appotapay", "AppotaPay (API v1.1, v1.0 and v2)", "127.0.0.1:8902",
		func(base string, kit emukit.Options) emulator {
			return appotapay.New(appotapay.Config{BaseURL: base, Kit: kit})
		}},
	{"reddot", "Red Dot Payment (tokenization, payment API, Merchant API)", "127.0.0.1:8903",
		func(base string, kit emukit.Options) emulator {
			// Unique order ids let a client find a payment whose answer it
			// lost by its own order id: the setting payhost recommends.
			m := reddot.DefaultMerchant()
			m.UniqueOrderID = true
			return reddot.New(reddot.Config{BaseURL: base, Kit: kit, Merchants: []reddot.Merchant{m}})
		}},
}

type sandboxCommand struct {
	Meta
}

func (c *sandboxCommand) Synopsis() string { return "Run local emulators of every shipped gateway" }

func (c *sandboxCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost sandbox [options]

  Runs a faithful local emulator of each shipped gateway on its own port:
  signatures checked, states moved, hosted payment pages served and signed
  callbacks sent, like the real gateways. Prints each base URL and the
  published test credentials. Stops cleanly on Ctrl-C.

  Each emulator also serves a JSON control API under /__emulator/ for
  tests: requests received, callback deliveries, fault injection, and
  completing, failing or expiring orders.

Options:

  -redotpay-addr=ADDR   Listen address of the RedotPay emulator (default 127.0.0.1:8901).
  -appotapay-addr=ADDR  Listen address of the AppotaPay emulator (default 127.0.0.1:8902).
  -reddot-addr=ADDR     Listen address of the Red Dot Payment emulator (default 127.0.0.1:8903).
  -only=NAMES           Comma-separated emulators to run (redotpay, appotapay, reddot).
  -deterministic        Count ids up instead of drawing them at random.
  -log-level=LEVEL      trace, debug, info (default), warn or error.
`)
}

// sandboxOptions are the parsed flags.
type sandboxOptions struct {
	addrs         map[string]string
	only          map[string]bool
	deterministic bool
	logLevel      string
}

func (c *sandboxCommand) Run(args []string) int {
	opts, err := parseSandboxFlags(args, c.Stderr)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n\n%s\n", err, c.Help())
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runSandbox(ctx, opts, c.Stdout, c.Stderr); err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", err)
		return 1
	}
	return 0
}

func parseSandboxFlags(args []string, stderr io.Writer) (sandboxOptions, error) {
	opts := sandboxOptions{addrs: map[string]string{}}
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addrs := map[string]*string{}
	for _, g := range gateways {
		addrs[g.name] = fs.String(g.name+"-addr", g.defaultAddr, "")
	}
	only := fs.String("only", "", "")
	fs.BoolVar(&opts.deterministic, "deterministic", false, "")
	fs.StringVar(&opts.logLevel, "log-level", "info", "")
	if err := fs.Parse(args); err != nil {
		return opts, err
	}
	if fs.NArg() > 0 {
		return opts, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for name, a := range addrs {
		opts.addrs[name] = *a
	}
	if *only != "" {
		opts.only = map[string]bool{}
		for _, name := range strings.Split(*only, ",") {
			name = strings.TrimSpace(name)
			if !knownGateway(name) {
				return opts, fmt.Errorf("-only: unknown emulator %q (want redotpay, appotapay or reddot)", name)
			}
			opts.only[name] = true
		}
	}
	if hclog.LevelFromString(opts.logLevel) == hclog.NoLevel {
		return opts, fmt.Errorf("-log-level: unknown level %q", opts.logLevel)
	}
	return opts, nil
}

func knownGateway(name string) bool {
	for _, g := range gateways {
		if g.name == name {
			return true
		}
	}
	return false
}

// runSandbox serves the selected emulators until ctx ends, then shuts them
// down, letting requests in flight finish.
func runSandbox(ctx context.Context, opts sandboxOptions, stdout, stderr io.Writer) error {
	logger := hclog.New(&hclog.LoggerOptions{
		Name: "sandbox", Level: hclog.LevelFromString(opts.logLevel), Output: stderr,
	})
	type running struct {
		emu emulator
		srv *http.Server
	}
	var all []running
	defer func() {
		for _, r := range all {
			r.emu.Close()
		}
	}()
	errs := make(chan error, len(gateways))
	for _, g := range gateways {
		if opts.only != nil && !opts.only[g.name] {
			continue
		}
		ln, err := net.Listen("tcp", opts.addrs[g.name])
		if err != nil {
			return fmt.Errorf("%s emulator: %w", g.name, err)
		}
		base := "http://" + ln.Addr().String()
		emu := g.build(base, emukit.Options{Deterministic: opts.deterministic, Logger: logger})
		srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
		all = append(all, running{emu, srv})
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errs <- fmt.Errorf("%s emulator: %w", g.name, err)
			}
		}()
		fmt.Fprintf(stdout, "%s\n  %s\n  base URL: %s\n  control API: %s%s\n",
			g.name, g.title, base, base, emukit.ControlPrefix)
		for _, line := range emu.Credentials() {
			fmt.Fprintf(stdout, "  credentials: %s\n", line)
		}
		fmt.Fprintln(stdout)
	}
	if len(all) == 0 {
		return errors.New("no emulator selected")
	}
	fmt.Fprintln(stdout, "Sandbox ready. Press Ctrl-C to stop.")

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errs:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = r.srv.Shutdown(shutdownCtx)
		}()
	}
	wg.Wait()
	fmt.Fprintln(stdout, "Sandbox stopped.")
	return serveErr
}
