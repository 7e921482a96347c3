package host

import (
	"context"
	"time"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/store"
	"github.com/payhost/payhost/plugin"
)

// paymentView reads p's attempts and refunds with r and returns the
// payment as the API shows it.
func paymentView(ctx context.Context, r store.Reader, p *store.Payment) (*api.Payment, error) {
	d, err := store.ReadPaymentDetail(ctx, r, p.ID)
	if err != nil {
		return nil, err
	}
	return viewOf(p, d.Attempts, d.Refunds), nil
}

// viewOf is payment p with its attempts and refunds as the API shows it.
func viewOf(p *store.Payment, attempts []store.Attempt, refunds []store.Refund) *api.Payment {
	v := &api.Payment{
		ID: p.ID, Status: p.Status, Amount: p.Amount, Currency: p.Currency,
		Method: p.Method, Capture: p.Capture,
		AmountAuthorized: p.AmountAuthorized, AmountCaptured: p.AmountCaptured, AmountRefunded: p.AmountRefunded,
		Reference: p.Reference, Description: p.Description, ReturnURL: p.ReturnURL,
		Customer: apiCustomer(p.Customer), Card: p.Card, Token: p.TokenID,
		Provider: p.ProviderInstance, ProviderReference: p.ProviderReference, Route: p.Route,
		NextAction: apiNextAction(p.NextAction), Failure: apiFailure(p.FailureCode, p.FailureMessage),
		Metadata: p.Metadata,
		Attempts: make([]api.Attempt, len(attempts)), Refunds: make([]api.Refund, len(refunds)),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	for i := range attempts {
		v.Attempts[i] = apiAttempt(&attempts[i])
	}
	for i := range refunds {
		v.Refunds[i] = *apiRefund(&refunds[i])
	}
	return v
}

func apiAttempt(a *store.Attempt) api.Attempt {
	v := api.Attempt{
		ID: a.ID, Provider: a.ProviderInstance, Operation: string(a.Operation), Status: string(a.Status),
		ErrorKind: string(a.ErrorKind), ErrorCode: a.ErrorCode, ErrorMessage: a.ErrorMessage,
		ProviderReference: a.ProviderReference, StartedAt: a.StartedAt,
	}
	if !a.FinishedAt.IsZero() {
		t := a.FinishedAt
		v.FinishedAt = &t
	}
	return v
}

func apiRefund(r *store.Refund) *api.Refund {
	return &api.Refund{
		ID: r.ID, PaymentID: r.PaymentID, Status: r.Status, Amount: r.Amount, Currency: r.Currency,
		Reason: r.Reason, ProviderRefundReference: r.ProviderRefundReference,
		Failure:   apiFailure(r.FailureCode, r.FailureMessage),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func apiToken(t *store.Token) *api.Token {
	return &api.Token{
		ID: t.ID, Status: t.Status, Provider: t.ProviderInstance, Card: t.Card,
		Customer: apiCustomer(t.Customer), NextAction: apiNextAction(t.NextAction),
		Failure:  apiFailure(t.FailureCode, t.FailureMessage),
		Metadata: t.Metadata, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
}

func apiCustomer(c *plugin.Customer) *api.Customer {
	if c == nil {
		return nil
	}
	return &api.Customer{ID: c.ID, Email: c.Email, Name: c.Name, IP: c.IP}
}

// pluginCustomer is the merchant's customer as providers and the store
// take it; nil stays nil.
func pluginCustomer(c *api.Customer) *plugin.Customer {
	if c == nil {
		return nil
	}
	return &plugin.Customer{ID: c.ID, Email: c.Email, Name: c.Name, IP: c.IP}
}

func apiNextAction(a *plugin.NextAction) *api.NextAction {
	if a == nil {
		return nil
	}
	v := &api.NextAction{Type: a.Type, URL: a.URL, QRCode: a.QRCode, DeepLink: a.DeepLink}
	if !a.ExpiresAt.IsZero() {
		t := a.ExpiresAt.UTC().Truncate(time.Microsecond)
		v.ExpiresAt = &t
	}
	return v
}

func apiFailure(code, message string) *api.Failure {
	if code == "" && message == "" {
		return nil
	}
	return &api.Failure{Code: code, Message: message}
}

// pluginCard is the card a merchant sent, for the provider only.
func pluginCard(c *api.Card) *plugin.Card {
	if c == nil {
		return nil
	}
	return &plugin.Card{Number: c.Number, ExpMonth: c.ExpMonth, ExpYear: c.ExpYear, CVC: c.CVC, HolderName: c.HolderName}
}

// cardInfo is what the store keeps of a card: never the number, the CVC
// or the holder's name.
func cardInfo(c *api.Card) *plugin.CardInfo {
	if c == nil {
		return nil
	}
	info := pluginCard(c).Info()
	info.HolderName = ""
	return &info
}
