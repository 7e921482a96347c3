package configtest

import (
	"fmt"
	"strings"
)

// Generate returns a configuration (native syntax) with the five provider
// instances appotapay.vn, reddot.sg, reddot.my, redotpay.cards and
// redotpay.wallets, and merchants m0000, m0001, ... each with an API key,
// a webhook and routes r0, r1, ... of varied when expressions (currency
// and amount, method and capture, country, metadata, reference) and
// targets (lists and splits), the last route matching every payment. It
// is the input of the benchmarks.
func Generate(merchants, routes int) []byte {
	var b strings.Builder
	b.WriteString(`provider "appotapay" "vn" {
  endpoint     = "http://127.0.0.1:8902"
  partner_code = "APPOTAPAY"
  api_key      = env("APPOTA_API_KEY")
  secret_key   = env("APPOTA_SECRET_KEY")
}
provider "reddot" "sg" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "sg"
  secret_key  = env("REDDOT_SECRET")
}
provider "reddot" "my" {
  endpoint    = "http://127.0.0.1:8903"
  merchant_id = "my"
  secret_key  = env("REDDOT_SECRET")
}
provider "redotpay" "cards" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "cards"
}
provider "redotpay" "wallets" {
  endpoint  = "http://127.0.0.1:8904"
  client_id = "wallets"
}
`)
	for m := range merchants {
		fmt.Fprintf(&b, `merchant "m%04d" {
  api_key = "m%04d_key_0123456789abcdef"
  webhook {
    url    = "https://m%04d.example/events"
    secret = "whsec_m%04d_0123456789"
  }
`, m, m, m, m)
		for r := range routes {
			if r == routes-1 {
				fmt.Fprintf(&b, "  route \"r%d\" {\n    providers = [provider.redotpay.cards, provider.reddot.sg]\n  }\n", r)
				continue
			}
			fmt.Fprintf(&b, "  route \"r%d\" {\n", r)
			switch r % 5 {
			case 0:
				fmt.Fprintf(&b, "    when      = payment.currency == \"VND\" && payment.amount >= %d\n    providers = [provider.appotapay.vn]\n", 1000*(r+1))
			case 1:
				fmt.Fprintf(&b, "    when      = payment.method == \"card\" && payment.capture == \"manual\" && payment.amount > %d\n    providers = [provider.reddot.sg, provider.reddot.my]\n", 500*(r+1))
			case 2:
				fmt.Fprintf(&b, "    when = payment.country == \"S%c\" || payment.country == \"M%c\"\n", 'A'+r%26, 'A'+r%26)
				b.WriteString("    split {\n      provider = provider.reddot.sg\n      weight   = 70\n    }\n    split {\n      provider = provider.redotpay.cards\n      weight   = 30\n    }\n")
			case 3:
				fmt.Fprintf(&b, "    when      = lookup(payment.metadata, \"tier\", \"\") == \"gold%d\"\n    providers = [provider.redotpay.cards]\n", r)
			case 4:
				fmt.Fprintf(&b, "    when      = payment.method == \"wallet\" && payment.reference == \"order-%d\"\n    providers = [provider.redotpay.wallets]\n", r)
			}
			b.WriteString("  }\n")
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}
