package command

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/testutil"
)

// syncBuffer is testutil.SyncBuffer, under this package's name for it.
type syncBuffer = testutil.SyncBuffer

func TestSandboxServesEveryEmulator(t *testing.T) {
	opts, err := parseSandboxFlags([]string{
		"-redotpay-addr", "127.0.0.1:0", "-appotapay-addr", "127.0.0.1:0", "-reddot-addr", "127.0.0.1:0",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runSandbox(ctx, opts, &stdout, &stderr) }()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "Sandbox ready") {
		if time.Now().After(deadline) {
			t.Fatalf("sandbox did not start; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	out := stdout.String()
	for _, want := range []string{
		"4CA7B705-8EF5-4AC3-A0B6-9A4B84EF13B6", "test_merchant_key", // RedotPay
		"APPOTAPAY", "FJcmF8uj2ISveL5FvvNk4pnp8xrhINz8", "XAonJgy14YhtePEITXhyBS2unjfJLAV3", // AppotaPay
		"1000089029", // Red Dot Payment
	} {
		if !strings.Contains(out, want) {
			t.Errorf("sandbox output lacks the test credential %q", want)
		}
	}
	urls := regexp.MustCompile(`base URL: (\S+)`).FindAllStringSubmatch(out, -1)
	if len(urls) != 3 {
		t.Fatalf("want 3 base URLs, got %v in:\n%s", urls, out)
	}
	for _, u := range urls {
		resp, err := http.Get(u[1] + "/__emulator/requests")
		if err != nil {
			t.Fatalf("GET %s: %v", u[1], err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s/__emulator/requests: %d", u[1], resp.StatusCode)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sandbox stopped with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("sandbox did not stop after its context ended")
	}
	if !strings.Contains(stdout.String(), "Sandbox stopped.") {
		t.Errorf("no clean stop message")
	}
}

func TestSandboxFlags(t *testing.T) {
	cases := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"-only", "redotpay,stripe"}, `unknown emulator "stripe"`},
		{[]string{"-log-level", "loud"}, `unknown level "loud"`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-only", "reddot"}, ""},
	}
	for _, tc := range cases {
		_, err := parseSandboxFlags(tc.args, io.Discard)
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.wantErr)
		}
	}
}
