package reddot

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// control calls the emulator's control API and returns the status and
// body.
func (e *env) control(method, path string) (int, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func TestControlAPI(t *testing.T) {
	e := newEnv(t)

	hop := openHOP(t, e, map[string]any{"order_id": "CTL-1"})
	hopTxn := str(t, hop, "transaction_id")
	if status, body := e.control(http.MethodPost, "/__emulator/orders/"+hopTxn+"/complete"); status != http.StatusOK {
		t.Fatalf("complete: %d %s", status, body)
	}
	wantResult(t, e.query(PathQueryPayment, hopTxn), codeOK, DefaultSecret)
	e.waitCallbacks() // keep the notifications in a known order
	if status, _ := getPage(t, str(t, hop, "payment_url")); status != http.StatusGone {
		t.Errorf("completed page answers %d", status)
	}
	if status, _ := e.control(http.MethodPost, "/__emulator/orders/"+hopTxn+"/complete"); status != http.StatusConflict {
		t.Errorf("completing twice answers %d, want 409", status)
	}

	pending := e.pay(map[string]any{"order_id": "CTL-2", "amount": "777.00", "notify_url": e.sink.url})
	pendingTxn := str(t, pending, "transaction_id")
	if status, body := e.control(http.MethodPost, "/__emulator/orders/"+pendingTxn+"/fail"); status != http.StatusOK {
		t.Fatalf("fail: %d %s", status, body)
	}
	wantResult(t, e.query(PathQueryPayment, pendingTxn), codeRejected, DefaultSecret)

	session := openHostedToken(t, e, nil)
	sessionTxn := str(t, session, "transaction_id")
	if status, body := e.control(http.MethodPost, "/__emulator/orders/"+sessionTxn+"/expire"); status != http.StatusOK {
		t.Fatalf("expire: %d %s", status, body)
	}
	wantResult(t, e.query(PathQueryToken, sessionTxn), codeRejected, DefaultSecret)

	if status, _ := e.control(http.MethodPost, "/__emulator/orders/NOPE_1/complete"); status != http.StatusNotFound {
		t.Errorf("unknown order answers %d, want 404", status)
	}

	e.waitCallbacks()
	got := e.sink.received(t)
	if len(got) != 2 || got[0]["transaction_id"] != hopTxn || got[1]["transaction_id"] != pendingTxn {
		t.Fatalf("notifications %v, want the completed HOP's then the failed pending payment's", got)
	}

	if status, body := e.control(http.MethodPost, "/__emulator/callbacks/"+hopTxn+"/resend"); status != http.StatusAccepted {
		t.Fatalf("resend: %d %s", status, body)
	}
	e.waitCallbacks()
	bodies := e.sink.rawBodies()
	if len(bodies) != 3 || bodies[2] != bodies[0] {
		t.Errorf("resend delivered %v, want the first notification again", bodies)
	}
}

func TestInjectedFaultStrikesGatewayRoutes(t *testing.T) {
	e := newEnv(t)
	resp, err := http.Post(e.url+"/__emulator/faults", "application/json",
		strings.NewReader(`{"kind":"http_500","path":"`+PathPaymentAPI+`"}`))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("adding a fault: %v %v", err, resp)
	}
	resp.Body.Close()
	struck, err := http.Post(e.url+PathPaymentAPI, "application/json", strings.NewReader(string(mustJSON(paySigned(e.fixture("direct_sale"), DefaultSecret)))))
	if err != nil {
		t.Fatal(err)
	}
	struck.Body.Close()
	if struck.StatusCode != http.StatusInternalServerError {
		t.Fatalf("faulted call answered %d, want 500", struck.StatusCode)
	}
	wantResult(t, e.pay(nil), codeOK, DefaultSecret)
}

func TestResetForgetsState(t *testing.T) {
	e := newEnv(t)
	tok := e.post(PathTokenAPI, signed(e.fixture("direct_token_create"), DefaultSecret))
	wantResult(t, tok, codeOK, DefaultSecret)
	if status, body := e.control(http.MethodPost, "/__emulator/reset"); status != http.StatusOK {
		t.Fatalf("reset: %d %s", status, body)
	}
	wantError(t, e.query(PathQueryToken, str(t, tok, "transaction_id")), codeQueryNotFound)
	// The same card and payer can be tokenised again.
	wantResult(t, e.post(PathTokenAPI, signed(e.fixture("direct_token_create"), DefaultSecret)), codeOK, DefaultSecret)
}

func TestControlCompletesTokenSession(t *testing.T) {
	e := newEnv(t)
	session := openHostedToken(t, e, nil)
	txn := str(t, session, "transaction_id")
	if status, body := e.control(http.MethodPost, "/__emulator/orders/"+txn+"/complete"); status != http.StatusOK {
		t.Fatalf("complete: %d %s", status, body)
	}
	q := e.query(PathQueryToken, txn)
	wantResult(t, q, codeOK, DefaultSecret)
	if q["first_6"] != "411111" || len(str(t, q, "token_id")) != 30 {
		t.Errorf("token session completed as %v", q)
	}
}
