package redotpay

import (
	"strings"
	"testing"
)

func TestCredentials(t *testing.T) {
	got := strings.Join(New(Config{}).Credentials(), "\n")
	for _, want := range []string{
		"X-R-AK " + DefaultAppKey, "X-R-Key-Version 1", "merchantId 10001", "platform key version 1",
		"merchant_code ID00001", "Bearer test_merchant_key", "callback secret secret",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("credentials lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "PRIVATE KEY") {
		t.Error("credentials print a private key")
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{BaseURL: "http://127.0.0.1:9999/"}.withDefaults()
	if c.BaseURL != "http://127.0.0.1:9999" || c.TimestampSkew != DefaultTimestampSkew || c.OrderTTL != DefaultOrderTTL ||
		len(c.Kit.Retry.Delays) != 3 || c.PlatformKey == nil || c.Apps[0].PublicKeys[1] == nil {
		t.Fatalf("defaults: %+v", c)
	}
}
