package httpapi

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/payhost/payhost/api"
)

func (h *handler) listEvents(c *call) (int, any, error) {
	req, err := listEventsRequest(c.r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	l, err := h.svc.ListEvents(c.ctx(), c.merchant, req, c.opts...)
	return http.StatusOK, l, err
}

func (h *handler) getEvent(c *call) (int, any, error) {
	if err := noQuery(c.r.URL.Query()); err != nil {
		return 0, nil, err
	}
	ev, err := h.svc.GetEvent(c.ctx(), c.merchant, c.id(), c.opts...)
	return http.StatusOK, ev, err
}

// listEventsRequest reads the query of GET /v1/events: limit and
// starting_after, each at most once; any other parameter is an error that
// names it, as an unknown JSON field is.
func listEventsRequest(q url.Values) (*api.ListEventsRequest, error) {
	req := &api.ListEventsRequest{}
	for name, values := range q {
		if len(values) > 1 {
			return nil, api.Errorf(api.CodeInvalidRequest, name, "query parameter %s is given %d times; give it once", name, len(values))
		}
		switch v := values[0]; name {
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, api.Errorf(api.CodeInvalidRequest, name, "limit must be a whole number from 1 to 100")
			}
			req.Limit = n
		case "starting_after":
			if v == "" {
				return nil, api.Errorf(api.CodeInvalidRequest, name, "starting_after must be an event id (evt_...)")
			}
			req.StartingAfter = v
		default:
			return nil, unknownQuery(name)
		}
	}
	return req, nil
}

// noQuery refuses a query string on an endpoint that takes none.
func noQuery(q url.Values) error {
	for name := range q {
		return unknownQuery(name)
	}
	return nil
}

func unknownQuery(name string) error {
	return api.Errorf(api.CodeInvalidRequest, name, "unknown query parameter %s", name)
}
