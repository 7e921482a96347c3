package config

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestMaskSource(t *testing.T) {
	tests := []struct {
		name     string
		filename string
		src      string
		known    *span // a range known to be sensitive
		want     string
	}{
		{"quoted", "a.hcl", `api_key = "abc"`, nil, `api_key = "***"`},
		{"env name stays", "a.hcl", `api_key = env("ACME_KEY")`, nil, `api_key = env("ACME_KEY")`},
		{"file path stays", "a.hcl", `secret = chomp(file("s.txt"))`, nil, `secret = chomp(file("s.txt"))`},
		{"template", "a.hcl", `secret = "ab${env("X")}cd"`, nil, `secret = "**${env("X")}**"`},
		{"number", "a.hcl", "secret_key = 12345\nname = 1", nil, "secret_key = *****\nname = 1"},
		{"bare word", "a.hcl", `api_key = sk-live-abc`, nil, `api_key = ***********`},
		{"heredoc", "a.hcl", "secret = <<EOT\nline one\nEOT\nx = \"v\"", nil, "secret = <<EOT\n********\nEOT\nx = \"v\""},
		{"list", "a.hcl", "api_keys = [\n  \"k1\",\n  \"k2\",\n]\nname = \"n\"", nil, "api_keys = [\n  \"**\",\n  \"**\",\n]\nname = \"n\""},
		{"one-line block", "a.hcl", `webhook { secret = "s3" }`, nil, `webhook { secret = "**" }`},
		{"object key", "a.hcl", `headers = { password = "pw", user = "u" }`, nil, `headers = { password = "**", user = "u" }`},
		{"unterminated", "a.hcl", "api_key = \"abc\nx = 1", nil, "api_key = \"***\nx = 1"},
		{"other names stay", "a.hcl", `endpoint = "https://x"`, nil, `endpoint = "https://x"`},
		{"comment stays", "a.hcl", `api_key = "k" # rotate monthly`, nil, `api_key = "*" # rotate monthly`},
		{"known range", "a.hcl", `signing_material = "abc"`, &span{19, 24}, `signing_material = "***"`},
		{"json", "a.hcl.json", `{"api_key": "abc", "name": "x"}`, nil, `{"api_key": "***", "name": "x"}`},
		{"json list", "a.hcl.json", `{"api_keys": ["a", "${env(\"K\")}"], "n": 1}`, nil, `{"api_keys": ["*", "*************"], "n": 1}`},
		{"json known", "a.hcl.json", `{"material": "abc"}`, &span{13, 18}, `{"material": "***"}`},
		{"json broken", "a.hcl.json", `{"secret": "abc`, nil, `{"secret": "***`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ranges []hcl.Range
			if tt.known != nil {
				ranges = []hcl.Range{{
					Filename: tt.filename,
					Start:    hcl.Pos{Byte: tt.known.start},
					End:      hcl.Pos{Byte: tt.known.end},
				}}
			}
			src := []byte(tt.src)
			got := string(maskSource(tt.filename, src, ranges))
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if string(src) != tt.src {
				t.Error("the source itself was modified")
			}
		})
	}
}

func TestSensitiveName(t *testing.T) {
	for name, want := range map[string]bool{
		"api_key": true, "api_keys": true, "secret": true, "Secret_Key": true, "dsn": true,
		"password": true, "access_token": true, "private_pem": true,
		"endpoint": false, "partner_code": false, "url": false, "when": false,
	} {
		if got := sensitiveName(name); got != want {
			t.Errorf("sensitiveName(%q) = %v", name, got)
		}
	}
}
