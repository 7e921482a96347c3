package httpapitest

import (
	"context"
	"slices"

	"github.com/payhost/payhost/api"
)

// AddEvent records an event of merchant, newer than those before it.
func (s *Service) AddEvent(merchantID string, e api.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
	s.owner[e.ID] = merchantID
}

// ListEvents implements api.Service over the events added, newest first,
// all on one page.
func (s *Service) ListEvents(ctx context.Context, merchantID string, req *api.ListEventsRequest, opts ...api.CallOption) (*api.EventList, error) {
	if err := s.begin(ctx, Call{Op: "ListEvents", Merchant: merchantID, Options: api.Options(opts...), Request: req}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := &api.EventList{Data: []api.Event{}}
	for _, e := range slices.Backward(s.events) {
		if s.owner[e.ID] == merchantID {
			out.Data = append(out.Data, e)
		}
	}
	return out, nil
}

// GetEvent implements api.Service.
func (s *Service) GetEvent(ctx context.Context, merchantID, eventID string, opts ...api.CallOption) (*api.Event, error) {
	if err := s.begin(ctx, Call{Op: "GetEvent", Merchant: merchantID, ID: eventID, Options: api.Options(opts...)}); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.events {
		if e.ID == eventID && s.owner[e.ID] == merchantID {
			return &e, nil
		}
	}
	return nil, notFound("event", eventID)
}
