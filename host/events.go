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
	if !h.hasWebhook(merchant) {
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

// hasWebhook reports whether merchant has a webhook, and so gets events:
// what only an event needs need not be read otherwise.
func (h *Host) hasWebhook(merchant string) bool {
	m := h.cfg.Merchants[merchant]
	return m != nil && m.Webhook != nil
}
