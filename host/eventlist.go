package host

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
)

// Event list page sizes.
const (
	defaultEventPage = 20
	maxEventPage     = 100
)

// ListEvents implements api.Service: the merchant's events, newest first,
// req.Limit at a time (20 by default, at most 100), older than
// req.StartingAfter when set. Events are recorded for merchants with a
// webhook block; they are how a merchant catches up with webhooks it
// missed.
func (h *Host) ListEvents(ctx context.Context, merchantID string, req *api.ListEventsRequest, opts ...api.CallOption) (*api.EventList, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	r := api.ListEventsRequest{}
	if req != nil {
		r = *req
	}
	switch {
	case r.Limit == 0:
		r.Limit = defaultEventPage
	case r.Limit < 0 || r.Limit > maxEventPage:
		return nil, invalid("limit", "limit must be from 1 to %d", maxEventPage)
	}
	var evs []store.Event
	err := h.store.View(ctx, func(rd store.Reader) (err error) {
		if r.StartingAfter != "" {
			cursor, err := rd.GetEvent(ctx, r.StartingAfter)
			if isNotFound(err) || (err == nil && cursor.MerchantID != merchantID) {
				return invalid("starting_after", "no such event: %s", r.StartingAfter)
			}
			if err != nil {
				return err
			}
		}
		// One more than asked says whether there are more.
		evs, err = rd.ListEvents(ctx, merchantID, r.StartingAfter, r.Limit+1)
		return err
	})
	if err != nil {
		return nil, h.answer(ctx, err)
	}
	list := &api.EventList{Data: make([]api.Event, 0, min(len(evs), r.Limit))}
	for i := range evs[:min(len(evs), r.Limit)] {
		ev, err := apiEvent(&evs[i], nil)
		if err != nil {
			return nil, h.answer(ctx, err)
		}
		list.Data = append(list.Data, *ev)
	}
	list.HasMore = len(evs) > r.Limit
	return list, nil
}

// GetEvent implements api.Service: one of the merchant's events, with
// every attempt to deliver it.
func (h *Host) GetEvent(ctx context.Context, merchantID, eventID string, opts ...api.CallOption) (*api.Event, error) {
	ctx = withCall(ctx, api.Options(opts...))
	if err := h.checkMerchant(merchantID); err != nil {
		return nil, err
	}
	var (
		ev  *store.Event
		log []store.DeliveryAttempt
	)
	err := h.store.View(ctx, func(rd store.Reader) (err error) {
		ev, err = rd.GetEvent(ctx, eventID)
		if isNotFound(err) || (err == nil && ev.MerchantID != merchantID) {
			return notFound("event", eventID)
		}
		if err != nil {
			return err
		}
		log, err = rd.ListDeliveryAttempts(ctx, eventID)
		return err
	})
	if err != nil {
		return nil, h.answer(ctx, err)
	}
	view, err := apiEvent(ev, log)
	return view, h.answer(ctx, err)
}

// apiEvent is e as the API shows it, with the delivery attempts log (nil
// in lists).
func apiEvent(e *store.Event, log []store.DeliveryAttempt) (*api.Event, error) {
	var body struct {
		CreatedAt int64           `json:"created_at"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(e.Payload, &body); err != nil {
		return nil, fmt.Errorf("event %s: its stored body does not decode: %w", e.ID, err)
	}
	view := &api.Event{ID: e.ID, Type: e.Type, CreatedAt: body.CreatedAt, Data: body.Data,
		Delivery: api.EventDelivery{Status: api.DeliveryPending, Attempts: e.Attempts}}
	d := &view.Delivery
	switch {
	case !e.DeliveredAt.IsZero():
		d.Status, d.DeliveredAt = api.DeliveryDelivered, timePtr(e.DeliveredAt)
	case !e.FailedAt.IsZero():
		d.Status, d.FailedAt = api.DeliveryFailed, timePtr(e.FailedAt)
	default:
		d.NextAttemptAt = timePtr(e.NextAttemptAt)
	}
	for _, a := range log {
		d.Log = append(d.Log, api.DeliveryAttempt{Attempt: a.Attempt, At: a.At.UTC(), HTTPStatus: a.HTTPStatus,
			Error: a.Error, DurationMS: a.Duration.Milliseconds()})
	}
	return view, nil
}

func timePtr(t time.Time) *time.Time {
	t = t.UTC()
	return &t
}
