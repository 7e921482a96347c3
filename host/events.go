package host

import (
	"context"
	"encoding/json"

	"github.com/payhost/payhost/internal/store"
)

// eventPayload is a merchant event as the merchant's webhook receives it
// (ARCHITECTURE "Merchant webhooks"): data is the payment (api.Payment)
// for payment and refund events, the token (api.Token) for token events.
type eventPayload struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	CreatedAt int64  `json:"created_at"`
	Data      any    `json:"data"`
}

// appendEvent queues event typ of merchant with data in the outbox, in
// tx, so that it is sent if and only if the change it reports commits. A
// merchant without a webhook gets no events: there is nowhere to send
// them, and nothing else reads the outbox.
func (h *Host) appendEvent(ctx context.Context, tx store.Tx, merchant, typ string, data any) error {
	if m := h.cfg.Merchants[merchant]; m == nil || m.Webhook == nil {
		return nil
	}
	e := &store.Event{ID: store.NewID(store.PrefixEvent), MerchantID: merchant, Type: typ}
	payload, err := json.Marshal(eventPayload{ID: e.ID, Type: typ, CreatedAt: h.now().Unix(), Data: data})
	if err != nil {
		return err
	}
	e.Payload = payload
	return tx.AppendEvent(ctx, e)
}

// paymentEvent queues event typ about payment p (as it stands in tx), when
// typ is not empty.
func (h *Host) paymentEvent(ctx context.Context, tx store.Tx, p *store.Payment, typ string) error {
	if typ == "" {
		return nil
	}
	view, err := paymentView(ctx, tx, p)
	if err != nil {
		return err
	}
	return h.appendEvent(ctx, tx, p.MerchantID, typ, view)
}
