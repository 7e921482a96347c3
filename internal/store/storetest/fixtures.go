package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// errBoom is what a test's transaction fails with on purpose.
var errBoom = errors.New("boom")

// fullPayment returns a payment with every field the engine sets.
func fullPayment() *store.Payment {
	return &store.Payment{
		MerchantID: "acme", Amount: 12345, Currency: "USD",
		Method: plugin.MethodCard, Capture: plugin.CaptureManual, Status: plugin.StatusRequiresAction,
		Reference: "order-1", Description: "Two books", ReturnURL: "https://acme.example/back",
		Customer: &plugin.Customer{ID: "cus_1", Email: "ada@example.com", Name: "Ada", IP: "192.0.2.1", Phone: "+6590000000"},
		Card: &plugin.CardInfo{First6: "411111", Last4: "1111", ExpMonth: 12, ExpYear: 2031, Brand: "visa",
			HolderName: "ADA LOVELACE"},
		ProviderInstance: "reddot.sg", ProviderReference: "rdp-1", Route: "cards",
		NextAction: &plugin.NextAction{Type: plugin.ActionRedirect, URL: "https://pay.example/3ds",
			ExpiresAt: time.Date(2030, 1, 2, 4, 0, 0, 123456789, time.UTC)},
		AmountAuthorized: 12345,
		FailureCode:      "none", FailureMessage: "not yet",
		Metadata:   map[string]string{"order": "1", "note": "gift"},
		NextSyncAt: time.Date(2030, 1, 2, 3, 30, 0, 0, time.UTC),
	}
}

// payment returns a payment of amount USD cents in status, with authorized
// and captured amounts.
func payment(status plugin.PaymentStatus, amount, authorized, captured int64) *store.Payment {
	return &store.Payment{MerchantID: "acme", Amount: amount, Currency: "USD",
		Method: plugin.MethodCard, Capture: plugin.CaptureManual, Status: status,
		ProviderInstance: "reddot.sg", AmountAuthorized: authorized, AmountCaptured: captured}
}

// captured returns a succeeded payment of amount, all captured.
func captured(amount int64) *store.Payment {
	return payment(plugin.StatusSucceeded, amount, amount, amount)
}

// authorized returns an authorized payment of amount, nothing captured.
func authorized(amount int64) *store.Payment {
	return payment(plugin.StatusAuthorized, amount, amount, 0)
}

// insert inserts p and returns it as inserted.
func (e *env) insert(t testing.TB, p *store.Payment) *store.Payment {
	t.Helper()
	e.inTx(t, func(tx store.Tx) error { return tx.InsertPayment(e.ctx, p) })
	return p
}

// get reads payment id, failing the test when it cannot.
func (e *env) get(t testing.TB, id string) *store.Payment {
	t.Helper()
	p, err := e.st.GetPayment(e.ctx, id)
	if err != nil {
		t.Fatalf("GetPayment(%s): %v", id, err)
	}
	return p
}

// equal fails the test when got and want differ, showing both as JSON.
func equal[T any](t testing.TB, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// wantErr fails the test unless err is target (errors.Is).
func wantErr(t testing.TB, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: err = %v, want %v", what, err, target)
	}
}

// ok fails the test on err.
func ok(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
