package httpapitest

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/plugin"
)

// Call is one operation the service was asked for.
type Call struct {
	// Op is the api.Service method's name ("CreatePayment").
	Op       string
	Merchant string
	// ID is the payment or token id, or the callback's instance.
	ID      string
	Options api.CallOptions
	// Request is the operation's request (*api.CreatePaymentRequest,
	// *plugin.HandleCallbackRequest, ...), nil for those without one.
	Request any
}

// Service is the in-memory api.Service. Set Hook and Callback before
// serving.
type Service struct {
	// Hook, when set, runs first in every operation but Merchant; a
	// non-nil error is the operation's answer.
	Hook func(ctx context.Context, c Call) error
	// Callback answers HandleCallback; nil answers 200 with body "OK".
	Callback func(instance string, req *plugin.HandleCallbackRequest) (*plugin.HTTPResponse, error)

	keys map[string]string

	mu       sync.Mutex
	calls    []Call
	seq      int
	payments map[string]*api.Payment
	tokens   map[string]*api.Token
	events   []api.Event
	// owner is the merchant of each payment, token and event id.
	owner map[string]string
}

var _ api.Service = (*Service)(nil)

// New returns a Service whose merchants have the given API keys (key →
// merchant id).
func New(keys map[string]string) *Service {
	return &Service{
		keys:     keys,
		payments: map[string]*api.Payment{},
		tokens:   map[string]*api.Token{},
		owner:    map[string]string{},
	}
}

// Calls returns the operations asked for so far, in order.
func (s *Service) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Merchant implements api.Service.
func (s *Service) Merchant(apiKey string) (string, bool) {
	id, ok := s.keys[apiKey]
	return id, ok
}

// begin records c and runs the hook.
func (s *Service) begin(ctx context.Context, c Call) error {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	if s.Hook != nil {
		return s.Hook(ctx, c)
	}
	return nil
}

// newID returns the next id with prefix; s.mu is held.
func (s *Service) newID(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s_%d", prefix, s.seq)
}

// notFound is the error for another merchant's (or no) object.
func notFound(what, id string) error {
	return api.Errorf(api.CodeNotFound, "", "no %s %s", what, id)
}

// cardInfo keeps what may be kept of card.
func cardInfo(card *api.Card) *plugin.CardInfo {
	if card == nil {
		return nil
	}
	info := plugin.Card{Number: card.Number, ExpMonth: card.ExpMonth, ExpYear: card.ExpYear, HolderName: card.HolderName}.Info()
	return &info
}

// now is the service's clock, to the second like the store's.
func now() time.Time { return time.Now().UTC().Truncate(time.Second) }
