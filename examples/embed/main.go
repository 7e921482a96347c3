// Command embed is a shop's own Go HTTP service that embeds the payhost
// host: its checkout handler calls the host's Go API directly, and it
// mounts payhost's HTTP API under /payhost/ for its other services and for
// the gateways' callbacks. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/host"
)

func main() {
	configPath := flag.String("config", "examples/embed", "payhost configuration: a file, or a directory of .hcl files")
	listen := flag.String("listen", "127.0.0.1:8080", "address the shop listens on")
	merchant := flag.String("merchant", "acme", "the payhost merchant the shop is")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := host.New(ctx, host.Options{
		ConfigPath: *configPath,
		Logger:     hclog.New(&hclog.LoggerOptions{Name: "payhost", Level: hclog.Info}),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()

	srv := &http.Server{Addr: *listen, Handler: newShop(h, *merchant), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Printf("shop listening on http://%s (payhost API under /payhost/)", *listen)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Print(err)
	}
}
