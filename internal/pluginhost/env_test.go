package pluginhost

import (
	"reflect"
	"testing"
)

func TestFilterEnvKeepsSecretsFromPlugins(t *testing.T) {
	in := []string{
		"PATH=/usr/bin", "HOME=/root", "HTTPS_PROXY=http://proxy:3128",
		"APPOTA_SECRET_KEY=XAonJgy14YhtePEITXhyBS2unjfJLAV3", // another instance's credential
		"ACME_API_KEY=sk_merchant",                           // a merchant's API key
		"PAYHOST_POSTGRES_DSN=postgres://u:pw@db/payhost",    // the store's DSN
		"PAYHOST_PLUGIN_GOMAXPROCS=2", "PAYHOST_PLUGIN_FAULT_STATE=/tmp/s.json",
		"PAYHOST_PLUGIN_ENV=CORP_CA_BUNDLE, TRACE_ID",
		"CORP_CA_BUNDLE=/etc/corp.pem", "TRACE_ID=abc",
	}
	want := []string{
		"PATH=/usr/bin", "HOME=/root", "HTTPS_PROXY=http://proxy:3128",
		"PAYHOST_PLUGIN_GOMAXPROCS=2", "PAYHOST_PLUGIN_FAULT_STATE=/tmp/s.json",
		"PAYHOST_PLUGIN_ENV=CORP_CA_BUNDLE, TRACE_ID",
		"CORP_CA_BUNDLE=/etc/corp.pem", "TRACE_ID=abc",
	}
	if got := filterEnv(in); !reflect.DeepEqual(got, want) {
		t.Fatalf("filterEnv =\n%q\nwant\n%q", got, want)
	}
}
