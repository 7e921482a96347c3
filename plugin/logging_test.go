package plugin_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/payhost/payhost/plugin"
)

// TestHclogNeverPrintsSecrets logs sensitive values and the structs that
// carry them, as providers would, in hclog's JSON (what plugins write) and
// text (what the host shows) formats.
func TestHclogNeverPrintsSecrets(t *testing.T) {
	h := newHolder()
	config, err := plugin.NewConfig(map[string]any{"api_key": testSecret})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{
		"secret":    plugin.NewSecret(testSecret),
		"pan":       plugin.NewCardNumber(testPAN),
		"config":    config,
		"card":      h.Card,
		"card_ptr":  h.CardPtr,
		"holder":    h,
		"create":    &plugin.CreatePaymentRequest{Card: h.CardPtr, Amount: plugin.Money{Amount: 1050, Currency: "USD"}},
		"configure": &plugin.ConfigureRequest{Instance: "reddot.sg", Config: config},
		"tokenize":  plugin.TokenizeRequest{Card: h.CardPtr},
	}
	for _, json := range []bool{true, false} {
		for name, v := range values {
			var buf bytes.Buffer
			logger := hclog.New(&hclog.LoggerOptions{Output: &buf, JSONFormat: json, Level: hclog.Trace})
			logger.Info("calling gateway", name, v)
			logger.With("ctx", v).Debug("with")
			logger.Named("sub").Error("fmt", "value", hclog.Fmt("%+v", v))
			out := buf.String()
			for _, secret := range []string{testSecret, testPAN, "CVC:" + testCVC, `"CVC":"` + testCVC} {
				if strings.Contains(out, secret) {
					t.Errorf("json=%v %s: log contains %q:\n%s", json, name, secret, out)
				}
			}
		}
	}
}
