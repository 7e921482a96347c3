package redotpay

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/payhost/payhost/plugin"
)

// connectConfig is a valid connect configuration with the test keys,
// changed by edit; a nil value removes an attribute.
func connectConfig(t testing.TB, edit map[string]any) map[string]any {
	t.Helper()
	return withEdits(map[string]any{
		"endpoint":            "http://127.0.0.1:8901",
		"app_key":             "4CA7B705-8EF5-4AC3-A0B6-9A4B84EF13B6",
		"private_key":         readFile(t, testPrivateKeyFile),
		"platform_public_key": readFile(t, testPublicKeyFile),
	}, edit)
}

// seedConfig is a valid seed configuration, changed by edit.
func seedConfig(edit map[string]any) map[string]any {
	return withEdits(map[string]any{
		"endpoint":      "http://127.0.0.1:8901",
		"protocol":      "seed",
		"merchant_code": "ID00001",
		"merchant_key":  "mk_test_Zq8vR2",
		"secret_key":    "sk_test_Hn4wX7",
	}, edit)
}

func withEdits(base, edit map[string]any) map[string]any {
	for k, v := range edit {
		if v == nil {
			delete(base, k)
		} else {
			base[k] = v
		}
	}
	return base
}

func mustConfig(t testing.TB, values map[string]any) plugin.Config {
	t.Helper()
	cfg, err := plugin.NewConfig(values)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestConfigureValidates(t *testing.T) {
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testPrivateKey(t))}))
	cases := []struct {
		name      string
		values    map[string]any
		wantParam string // "" means valid
	}{
		{"connect with defaults", connectConfig(t, nil), ""},
		{"connect with a PKCS#1 key", connectConfig(t, map[string]any{"private_key": pkcs1}), ""},
		{"connect, every attribute", connectConfig(t, map[string]any{
			"protocol": "connect", "key_version": int64(2), "platform_key_version": int64(3), "env": "APP",
			"timestamp_tolerance": "1m", "timeout": "5s", "methods": []string{"qr"},
		}), ""},
		{"no app_key", connectConfig(t, map[string]any{"app_key": nil}), "app_key"},
		{"blank app_key", connectConfig(t, map[string]any{"app_key": "  "}), "app_key"},
		{"no private_key", connectConfig(t, map[string]any{"private_key": nil}), "private_key"},
		{"private_key not PEM", connectConfig(t, map[string]any{"private_key": "MIIEvgIBADANBgkqhkiG9w0BAQEFAASC"}), "private_key"},
		{"private_key is a public key", connectConfig(t, map[string]any{"private_key": readFile(t, testPublicKeyFile)}), "private_key"},
		{"no platform_public_key", connectConfig(t, map[string]any{"platform_public_key": nil}), "platform_public_key"},
		{"platform_public_key is a private key", connectConfig(t, map[string]any{"platform_public_key": readFile(t, testPrivateKeyFile)}), "platform_public_key"},
		{"key_version 0", connectConfig(t, map[string]any{"key_version": int64(0)}), "key_version"},
		{"platform_key_version -1", connectConfig(t, map[string]any{"platform_key_version": int64(-1)}), "platform_key_version"},
		{"env DESKTOP", connectConfig(t, map[string]any{"env": "DESKTOP"}), "env"},
		{"timestamp_tolerance soon", connectConfig(t, map[string]any{"timestamp_tolerance": "soon"}), "timestamp_tolerance"},
		{"timeout negative", connectConfig(t, map[string]any{"timeout": "-1s"}), "timeout"},
		{"endpoint ftp", connectConfig(t, map[string]any{"endpoint": "ftp://acquirer.redotpay.com"}), "endpoint"},
		{"endpoint without scheme", connectConfig(t, map[string]any{"endpoint": "acquirer.redotpay.com"}), "endpoint"},
		{"protocol rest", connectConfig(t, map[string]any{"protocol": "rest"}), "protocol"},
		{"connect takes no cards", connectConfig(t, map[string]any{"methods": []string{"wallet", "card"}}), "methods"},
		{"no methods", connectConfig(t, map[string]any{"methods": []string{}}), "methods"},
		{"seed", seedConfig(nil), ""},
		{"seed without merchant_code", seedConfig(map[string]any{"merchant_code": nil}), "merchant_code"},
		{"seed without merchant_key", seedConfig(map[string]any{"merchant_key": ""}), "merchant_key"},
		{"seed without secret_key", seedConfig(map[string]any{"secret_key": nil}), "secret_key"},
		{"seed with an unknown method", seedConfig(map[string]any{"methods": []string{"bank"}}), "methods"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Configure(context.Background(), &plugin.ConfigureRequest{Config: mustConfig(t, tc.values)})
			if tc.wantParam == "" {
				if err != nil {
					t.Fatalf("Configure: %v", err)
				}
				return
			}
			var pe *plugin.Error
			if !asPluginError(err, &pe) || pe.Kind != plugin.KindInvalidRequest || pe.Param != tc.wantParam {
				t.Fatalf("Configure = %v; want invalid_request on %s", err, tc.wantParam)
			}
			if !strings.Contains(pe.Message, tc.wantParam) {
				t.Errorf("message %q does not name %s", pe.Message, tc.wantParam)
			}
			assertNoSecrets(t, "Configure error", err.Error(), secretsOf(tc.values)...)
		})
	}
}

func TestCapabilitiesPerConfiguration(t *testing.T) {
	ops := func(o ...plugin.Operation) []plugin.Operation { return o }
	cardOps := ops(plugin.OpCreatePayment, plugin.OpAuthorize, plugin.OpCapture, plugin.OpPartialCapture,
		plugin.OpRefund, plugin.OpPartialRefund, plugin.OpVoid, plugin.OpReverse)
	cases := []struct {
		name    string
		values  map[string]any
		ops     []plugin.Operation
		methods []plugin.PaymentMethod
		warns   bool
	}{
		{"connect", connectConfig(t, nil),
			ops(plugin.OpCreatePayment, plugin.OpVoid, plugin.OpGetPayment, plugin.OpCallbacks),
			[]plugin.PaymentMethod{plugin.MethodWallet, plugin.MethodQR}, false},
		{"seed", seedConfig(nil), declared.Operations, declared.Methods, true},
		{"seed orders", seedConfig(map[string]any{"methods": []string{"qr", "wallet", "qr"}}),
			ops(plugin.OpCreatePayment, plugin.OpGetPayment, plugin.OpCallbacks),
			[]plugin.PaymentMethod{plugin.MethodQR, plugin.MethodWallet}, true},
		{"seed cards", seedConfig(map[string]any{"methods": []string{"card"}}), cardOps, []plugin.PaymentMethod{plugin.MethodCard}, true},
	}
	info, err := New().GetInfo(context.Background(), &plugin.GetInfoRequest{})
	if err != nil || info.Schema.Validate() != nil {
		t.Fatalf("GetInfo = %+v, %v", info, err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := New().Configure(context.Background(), &plugin.ConfigureRequest{Config: mustConfig(t, tc.values)})
			if err != nil {
				t.Fatal(err)
			}
			got := resp.Capabilities
			if got == nil || !slices.Equal(got.Operations, tc.ops) || !slices.Equal(got.Methods, tc.methods) {
				t.Fatalf("capabilities %+v; want %v %v", got, tc.ops, tc.methods)
			}
			for _, op := range got.Operations {
				if !info.Capabilities.Supports(op) {
					t.Errorf("%s is not declared by GetInfo", op)
				}
			}
			warned := len(resp.Warnings) == 1 && strings.Contains(resp.Warnings[0], "scam")
			if warned != tc.warns {
				t.Errorf("warnings %q; want the scam warning: %v", resp.Warnings, tc.warns)
			}
		})
	}
}

// secretsOf lists the sensitive values of a configuration, and each line
// of a PEM key in it, for leak checks.
func secretsOf(values map[string]any) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(values)) {
		a, _ := configSchema.Attribute(name)
		s, _ := values[name].(string)
		if !a.Sensitive || s == "" {
			continue
		}
		if !strings.Contains(s, "\n") {
			out = append(out, s)
			continue
		}
		for _, line := range strings.Split(s, "\n") {
			if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
				out = append(out, line)
			}
		}
	}
	return out
}

// assertNoSecrets fails when text holds any of secrets.
func assertNoSecrets(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, leak := range findLeaks(text, secrets) {
		t.Errorf("%s leaks %s", what, leak)
	}
}

// findLeaks describes, without repeating them, the secrets text holds.
func findLeaks(text string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			out = append(out, fmt.Sprintf("a secret of %d characters starting %q", len(s), s[:min(4, len(s))]))
		}
	}
	return out
}

func asPluginError(err error, target **plugin.Error) bool {
	e, ok := err.(*plugin.Error)
	*target = e
	return ok
}
