package appotapay

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/payhost/payhost/internal/testutil"

	"github.com/hashicorp/go-hclog"
)

// syncBuffer is testutil.SyncBuffer, under this package's name for it.
type syncBuffer = testutil.SyncBuffer

// TestNoSecretsLeak runs a payment with saved card, a rejected call and a
// refund, then checks that the log, the request record and the delivery
// log hold neither the secret key, nor a JWT, nor a full card number.
func TestNoSecretsLeak(t *testing.T) {
	var logs syncBuffer
	h := newHarness(t, func(c *Config) {
		c.Kit.Logger = hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Trace})
	})
	m := newMerchant(t)
	body := paidFlowBody(t, m, "leak-1", 20000)
	body["action"] = actionPayReturnToken
	created := h.createOrder(body)
	h.redirectQuery(str(created["paymentUrl"]), "pay")
	m.wait(t, 1)
	h.post(refundPath, refundBody("leak-r", "AP240911100001B", 1000, "r"))
	token := h.token()
	h.call(http.MethodPost, "/api/v1.1/orders/payment/bank", token+"x", body)

	var records strings.Builder
	for _, path := range []string{"/__emulator/requests", "/__emulator/callbacks"} {
		resp, err := http.Get(h.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&records, resp.Body)
		resp.Body.Close()
	}
	jwt := strings.TrimPrefix(token, "Bearer ")
	for name, text := range map[string]string{"log": logs.String(), "records": records.String()} {
		if !strings.Contains(text, "leak-1") {
			t.Errorf("%s does not mention the order: the check below would prove nothing", name)
		}
		for secret, what := range map[string]string{
			SandboxSecretKey:                      "secret key",
			jwt[:strings.LastIndexByte(jwt, '.')]: "JWT",
			atmTestCard.number:                    "card number",
		} {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains the %s", name, what)
			}
		}
	}
}
