// Command tinypay-emulator serves the tinypay emulator on a local port, to
// try the tinypay provider with payhost. It prints its base URL and the
// published test credentials, and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/payhost-provider-tinypay/emulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8904", "address to listen on (port 0 picks a free one)")
	flag.Parse()
	logger := log.New(os.Stderr, "tinypay-emulator: ", log.LstdFlags)
	emu := emulator.New(emulator.Config{APIKey: emulator.TestAPIKey, Secret: emulator.TestSecret, Log: logger})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		logger.Fatal(err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Printf("tinypay emulator serving on http://%s\n", ln.Addr())
	fmt.Printf("test credentials: api_key %s, secret %s\n", emulator.TestAPIKey, emulator.TestSecret)
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		logger.Fatal(err)
	}
	emu.Close()
}
