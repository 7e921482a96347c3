package tinypay

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/payhost/payhost/plugin"

	"example.com/payhost-provider-tinypay/emulator"
)

// startEmulator serves a fresh emulator with the test credentials until
// the test ends, and returns its base URL.
func startEmulator(t *testing.T) string {
	t.Helper()
	emu := emulator.New(emulator.Config{APIKey: emulator.TestAPIKey, Secret: emulator.TestSecret})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	t.Cleanup(emu.Close) // first: stop the callbacks, then the server
	return srv.URL
}

// testConfig is an instance's configuration against the emulator at
// endpoint, with the secret given.
func testConfig(t *testing.T, endpoint, secret string) plugin.Config {
	t.Helper()
	c, err := plugin.NewConfig(map[string]any{
		attrEndpoint: endpoint, attrAPIKey: emulator.TestAPIKey, attrSecret: secret, attrTimeout: "10s",
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// configured returns a provider configured against the emulator at
// endpoint, called directly (no gRPC), with callbacks at callbackURL.
func configured(t *testing.T, endpoint, secret, callbackURL string) *Provider {
	t.Helper()
	p := New()
	if _, err := p.Configure(context.Background(), &plugin.ConfigureRequest{
		Instance: "tinypay.test", Config: testConfig(t, endpoint, secret), CallbackURL: callbackURL,
	}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return p
}

// fixedClock returns a clock stopped at unix.
func fixedClock(unix int64) func() time.Time {
	return func() time.Time { return time.Unix(unix, 0) }
}
