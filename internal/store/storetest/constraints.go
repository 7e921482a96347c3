package storetest

import (
	"context"
	"database/sql"
	"testing"

	"github.com/payhost/payhost/internal/store"
)

// Constraints checks that the schema itself refuses amounts that break the
// money invariants, even from a writer that goes around the store: raw is a
// plain connection to st's database.
func Constraints(t *testing.T, st store.Store, raw *sql.DB) {
	ctx := context.Background()
	p := captured(1000)
	err := st.InTx(ctx, func(tx store.Tx) error {
		if err := tx.InsertPayment(ctx, p); err != nil {
			return err
		}
		return tx.ReserveRefund(ctx, &store.Refund{PaymentID: p.ID, Amount: 400, Currency: "USD"})
	})
	ok(t, "insert a payment with a refund", err)
	before, err := st.GetPayment(ctx, p.ID)
	ok(t, "GetPayment", err)

	for _, set := range []string{
		"amount_captured = amount_authorized + 1",
		"amount_refunded = amount_captured + 1",
		"amount_captured = amount_refunded - 1",
		"amount_authorized = -1, amount_captured = -1, amount_refunded = -1",
	} {
		if _, err := raw.ExecContext(ctx, "UPDATE payments SET "+set+" WHERE id = $1", p.ID); err == nil {
			t.Errorf("the database took SET %s", set)
		}
	}
	after, err := st.GetPayment(ctx, p.ID)
	ok(t, "GetPayment", err)
	equal(t, "payment after the refused writes", after, before)
}
