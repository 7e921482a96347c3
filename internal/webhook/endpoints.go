package webhook

import (
	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/plugin"
)

// Endpoint is where a merchant's events go.
type Endpoint struct {
	// URL receives the events as POST requests.
	URL string
	// Secret signs them; it prints as REDACTED.
	Secret plugin.Secret
}

// Endpoints finds merchants' endpoints. The Dispatcher asks for every
// attempt, so an implementation over reloadable configuration takes effect
// at the next attempt. It must be safe for concurrent use.
type Endpoints interface {
	// Endpoint returns the merchant's endpoint; false when the merchant has
	// no webhook, and its events are given up at their first attempt.
	Endpoint(merchantID string) (Endpoint, bool)
}

// EndpointMap is Endpoints from a map of merchant id to endpoint, not
// written once the Dispatcher has it.
type EndpointMap map[string]Endpoint

// Endpoint implements Endpoints.
func (m EndpointMap) Endpoint(merchantID string) (Endpoint, bool) {
	e, ok := m[merchantID]
	return e, ok
}

// ConfigEndpoints returns the endpoints of the merchants that have a
// webhook block, as config.Config.Merchants lists them.
func ConfigEndpoints(merchants map[string]*config.Merchant) EndpointMap {
	m := make(EndpointMap, len(merchants))
	for id, merchant := range merchants {
		if w := merchant.Webhook; w != nil {
			m[id] = Endpoint{URL: w.URL, Secret: w.Secret}
		}
	}
	return m
}

var _ Endpoints = EndpointMap(nil)
