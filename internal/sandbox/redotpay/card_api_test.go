package redotpay

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// card sends a /v1 call with the default merchant key and decodes the
// answer into a transaction or an error.
func (h *harness) card(t *testing.T, path, body string) (int, txnResponse, cardError) {
	t.Helper()
	a := h.seed(t, http.MethodPost, path, body)
	var txn txnResponse
	var cerr cardError
	if a.status < 300 {
		if err := json.Unmarshal(a.body, &txn); err != nil {
			t.Fatalf("%s: %v %s", path, err, a.body)
		}
	} else if err := json.Unmarshal(a.body, &cerr); err != nil {
		t.Fatalf("%s: %v %s", path, err, a.body)
	}
	return a.status, txn, cerr
}

// authorize makes an approved authorization and returns its id.
func (h *harness) authorize(t *testing.T, amount string) string {
	t.Helper()
	status, txn, cerr := h.card(t, "/v1/authorize", `{"amount":"`+amount+`","card_number":"4111111111111111"}`)
	if status != http.StatusOK || txn.Status != cardAuthorized {
		t.Fatalf("authorize: HTTP %d %+v %+v", status, txn, cerr)
	}
	return txn.TransactionID
}

func txnBody(id string, fields ...string) string {
	return `{"transaction_id":"` + id + `"` + strings.Join(append([]string{""}, fields...), ",") + `}`
}

func TestCardAuthorize(t *testing.T) {
	h := newHarness(t, nil)
	status, txn, _ := h.card(t, "/v1/authorize", `{"amount":"100.00","card_number":"4111111111111111"}`)
	want := txnResponse{
		TransactionID: txn.TransactionID, Status: cardAuthorized, Currency: "USD", Card: "411111******1111",
		Amount: "100.00", AuthorizedAmount: "100.00", CapturedAmount: "0.00", RefundedAmount: "0.00",
		CreatedAt: "2026-03-18T12:00:00Z", UpdatedAt: "2026-03-18T12:00:00Z",
	}
	if status != http.StatusOK || txn != want || len(txn.TransactionID) != 12 {
		t.Fatalf("HTTP %d %+v\nwant %+v", status, txn, want)
	}
	// Other currencies use their own minor unit.
	_, jpy, _ := h.card(t, "/v1/authorize", `{"amount":"1500","currency":"JPY","card_number":"4111111111111111"}`)
	if jpy.AuthorizedAmount != "1500" {
		t.Errorf("JPY authorization shows %q", jpy.AuthorizedAmount)
	}
	// The full card number never appears in the request log.
	a := h.do(t, h.newRequest(t, http.MethodGet, "/__emulator/requests", ""))
	if strings.Contains(string(a.body), "4111111111111111") || strings.Contains(string(a.body), DefaultSeedMerchantKey) {
		t.Fatalf("request log leaks a card number or key: %s", a.body)
	}
}

func TestCardAuthorizeValidation(t *testing.T) {
	tests := []struct {
		name, body, param, msg string
	}{
		{"missing amount", `{"card_number":"4111111111111111"}`, "amount", "is required"},
		{"amount as number", `{"amount":100,"card_number":"4111111111111111"}`, "amount", "must be a JSON string"},
		{"three decimals", `{"amount":"1.001","card_number":"4111111111111111"}`, "amount", "at most 2 decimal places"},
		{"zero", `{"amount":"0.00","card_number":"4111111111111111"}`, "amount", "greater than zero"},
		{"negative", `{"amount":"-1.00","card_number":"4111111111111111"}`, "amount", "must not be negative"},
		{"decimals on JPY", `{"amount":"10.5","currency":"JPY","card_number":"4111111111111111"}`, "amount", "whole number"},
		{"bad currency", `{"amount":"1.00","currency":"US","card_number":"4111111111111111"}`, "currency", "ISO 4217"},
		{"missing card", `{"amount":"1.00"}`, "card_number", "is required"},
		{"short card", `{"amount":"1.00","card_number":"41111111"}`, "card_number", "12 to 19 digits"},
		{"card with spaces", `{"amount":"1.00","card_number":"4111 1111 1111 1111"}`, "card_number", "12 to 19 digits"},
		{"Luhn failure", `{"amount":"1.00","card_number":"4111111111111112"}`, "card_number", "Luhn"},
	}
	h := newHarness(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, cerr := h.card(t, "/v1/authorize", tt.body)
			if status != http.StatusBadRequest || cerr.Code != "invalid_request" || cerr.Param != tt.param || !strings.Contains(cerr.Message, tt.msg) {
				t.Fatalf("HTTP %d %+v; want param %s and %q", status, cerr, tt.param, tt.msg)
			}
			if strings.Contains(cerr.Message, "411111111111") {
				t.Fatalf("error repeats the card number: %q", cerr.Message)
			}
		})
	}
}

func TestCardMagicOutcomes(t *testing.T) {
	tests := []struct {
		name, body  string
		status      int
		txnStatus   cardStatus
		declineCode string
	}{
		{"approved", `{"amount":"10.00","card_number":"4111111111111111"}`, 200, cardAuthorized, ""},
		{"declined card", `{"amount":"10.00","card_number":"4000000000000002"}`, 402, cardDeclined, "do_not_honor"},
		{"insufficient funds card", `{"amount":"10.00","card_number":"4000000000009995"}`, 402, cardDeclined, "insufficient_funds"},
		{"amount ending in .51", `{"amount":"10.51","card_number":"4111111111111111"}`, 402, cardDeclined, "insufficient_funds"},
		{"pending card", `{"amount":"10.00","card_number":"4000000000000259"}`, 202, cardPending, ""},
	}
	h := newHarness(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, txn, cerr := h.card(t, "/v1/authorize", tt.body)
			gotStatus, gotDecline := txn.Status, txn.DeclineCode
			if status >= 300 {
				gotStatus, gotDecline = cerr.Status, cerr.DeclineCode
				if cerr.Code != "card_declined" || cerr.TransactionID == "" {
					t.Errorf("decline answer %+v", cerr)
				}
			}
			if status != tt.status || gotStatus != tt.txnStatus || gotDecline != tt.declineCode {
				t.Fatalf("HTTP %d status %s decline %q; want HTTP %d %s %q", status, gotStatus, gotDecline, tt.status, tt.txnStatus, tt.declineCode)
			}
		})
	}
}

// A pending authorization is settled through the control API.
func TestCardPendingResolution(t *testing.T) {
	h := newHarness(t, nil)
	pending := func() string {
		_, txn, _ := h.card(t, "/v1/authorize", `{"amount":"25.00","card_number":"4000000000000259"}`)
		return txn.TransactionID
	}
	approved, declined := pending(), pending()
	if status, _, cerr := h.card(t, "/v1/capture", txnBody(approved)); status != http.StatusConflict {
		t.Fatalf("capture of a pending authorization: HTTP %d %+v", status, cerr)
	}
	h.control(t, "/__emulator/orders/"+approved+"/complete", "").expectControl(t, http.StatusOK, "")
	h.control(t, "/__emulator/orders/"+declined+"/fail", "").expectControl(t, http.StatusOK, "")
	h.control(t, "/__emulator/orders/"+declined+"/complete", "").expectControl(t, http.StatusConflict, "cannot resolve a transaction that is declined")
	h.control(t, "/__emulator/orders/"+approved+"/expire", "").expectControl(t, http.StatusConflict, "do not expire")

	status, txn, _ := h.card(t, "/v1/capture", txnBody(approved))
	if status != http.StatusOK || txn.Status != cardCaptured || txn.CapturedAmount != "25.00" {
		t.Fatalf("capture after approval: HTTP %d %+v", status, txn)
	}
	if status, _, cerr := h.card(t, "/v1/capture", txnBody(declined)); status != http.StatusConflict || cerr.Code != "invalid_state" {
		t.Fatalf("capture of a declined authorization: HTTP %d %+v", status, cerr)
	}
}

// authorized → captured (partial) → partially refunded → refunded.
func TestCardLifecycle(t *testing.T) {
	h := newHarness(t, nil)
	id := h.authorize(t, "100.00")
	steps := []struct {
		path, body string
		status     cardStatus
		captured   string
		refunded   string
	}{
		{"/v1/capture", txnBody(id, `"amount":"60.00"`, `"currency":"USD"`), cardCaptured, "60.00", "0.00"},
		{"/v1/refund", txnBody(id, `"amount":"20.00"`), cardPartiallyRefunded, "60.00", "20.00"},
		{"/v1/refund", txnBody(id, `"amount":"15.5"`), cardPartiallyRefunded, "60.00", "35.50"},
		{"/v1/refund", txnBody(id), cardRefunded, "60.00", "60.00"},
	}
	for _, step := range steps {
		status, txn, cerr := h.card(t, step.path, step.body)
		if status != http.StatusOK || txn.Status != step.status || txn.CapturedAmount != step.captured || txn.RefundedAmount != step.refunded {
			t.Fatalf("%s %s: HTTP %d %+v %+v", step.path, step.body, status, txn, cerr)
		}
	}
}

func TestCardVoidAndReversal(t *testing.T) {
	h := newHarness(t, nil)
	voided := h.authorize(t, "10.00")
	if status, txn, _ := h.card(t, "/v1/void", txnBody(voided)); status != http.StatusOK || txn.Status != cardVoided {
		t.Fatalf("void: HTTP %d %+v", status, txn)
	}
	reversed := h.authorize(t, "10.00")
	h.card(t, "/v1/capture", txnBody(reversed))
	if status, txn, _ := h.card(t, "/v1/reversal", txnBody(reversed)); status != http.StatusOK || txn.Status != cardReversed {
		t.Fatalf("reversal: HTTP %d %+v", status, txn)
	}
}

func TestCardIllegalTransitions(t *testing.T) {
	h := newHarness(t, nil)
	authorized := h.authorize(t, "100.00")
	captured := h.authorize(t, "100.00")
	h.card(t, "/v1/capture", txnBody(captured))
	voided := h.authorize(t, "100.00")
	h.card(t, "/v1/void", txnBody(voided))
	refunded := h.authorize(t, "100.00")
	h.card(t, "/v1/capture", txnBody(refunded, `"amount":"40.00"`))
	h.card(t, "/v1/refund", txnBody(refunded, `"amount":"10.00"`))
	tests := []struct {
		name, path, body string
		status           int
		code, msg        string
	}{
		{"capture above authorized", "/v1/capture", txnBody(authorized, `"amount":"100.01"`), 422, "amount_exceeds_limit", "exceeds the authorized amount"},
		{"capture twice", "/v1/capture", txnBody(captured), 409, "invalid_state", "cannot capture a transaction that is captured"},
		{"capture after void", "/v1/capture", txnBody(voided), 409, "invalid_state", "cannot capture a transaction that is voided"},
		{"void after capture", "/v1/void", txnBody(captured), 409, "invalid_state", "cannot void a transaction that is captured"},
		{"refund before capture", "/v1/refund", txnBody(authorized, `"amount":"1.00"`), 409, "invalid_state", "cannot refund a transaction that is authorized"},
		{"refund above captured", "/v1/refund", txnBody(captured, `"amount":"100.01"`), 422, "amount_exceeds_limit", "exceed the captured amount"},
		{"cumulative refunds above captured", "/v1/refund", txnBody(refunded, `"amount":"30.01"`), 422, "amount_exceeds_limit", "exceed the captured amount"},
		{"reversal before capture", "/v1/reversal", txnBody(authorized), 409, "invalid_state", "cannot reverse a transaction that is authorized"},
		{"reversal after a refund", "/v1/reversal", txnBody(refunded), 409, "invalid_state", "partially_refunded"},
		{"currency mismatch", "/v1/capture", txnBody(authorized, `"currency":"EUR"`), 400, "invalid_request", "currency: must match"},
		{"amount on void", "/v1/void", txnBody(authorized, `"amount":"1.00"`), 400, "invalid_request", "amount: is not accepted"},
		{"missing transaction_id", "/v1/capture", `{}`, 400, "invalid_request", "transaction_id: is required"},
		{"unknown transaction", "/v1/capture", txnBody("999"), 404, "not_found", "transaction not found"},
		{"unknown endpoint", "/v1/settle", txnBody(authorized), 404, "not_found", "no endpoint POST /v1/settle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := h.seed(t, http.MethodPost, tt.path, tt.body)
			var cerr cardError
			_ = json.Unmarshal(a.body, &cerr)
			if a.status != tt.status || cerr.Code != tt.code || !strings.Contains(cerr.Message, tt.msg) {
				t.Fatalf("HTTP %d %s; want HTTP %d %s %q", a.status, a.body, tt.status, tt.code, tt.msg)
			}
		})
	}
	// Refused calls leave the transactions as they were.
	if _, txn, _ := h.card(t, "/v1/refund", txnBody(refunded, `"amount":"30.00"`)); txn.Status != cardRefunded {
		t.Fatalf("after refusals the last 30.00 should refund fully: %+v", txn)
	}
}

func TestCardAuth(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.SeedMerchants = []SeedMerchant{
			{Code: DefaultSeedMerchantCode, Key: DefaultSeedMerchantKey, Secret: "s1"},
			{Code: "ID00002", Key: "other_key", Secret: "s2"},
		}
	})
	id := h.authorize(t, "10.00")
	tests := []struct {
		name, auth string
		status     int
		code       string
	}{
		{"no credentials", "", 401, "unauthorized"},
		{"wrong key", "Bearer nope", 401, "unauthorized"},
		{"another merchant's transaction", "Bearer other_key", 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := h.newRequest(t, http.MethodPost, "/v1/capture", txnBody(id))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			a := h.do(t, req)
			var cerr cardError
			_ = json.Unmarshal(a.body, &cerr)
			if a.status != tt.status || cerr.Code != tt.code {
				t.Fatalf("HTTP %d %s", a.status, a.body)
			}
		})
	}
}
