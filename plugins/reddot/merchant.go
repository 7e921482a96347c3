package reddot

import (
	"context"
	"net/url"

	"github.com/payhost/payhost/plugin"
)

// The Merchant API (§3.2, §3.3c): capture, void and refund of a payment,
// form-encoded, MD5-signed both ways, answered with result_status
// accepted or failed.

// Capture captures all or part of an authorization.
func (p *Provider) Capture(ctx context.Context, req *plugin.CaptureRequest) (*plugin.CaptureResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	res, err := in.merchantCall(ctx, actionCapture, req.PaymentRef, req.Amount)
	if err != nil {
		return nil, err
	}
	return &plugin.CaptureResponse{PaymentResult: res.payment(plugin.StatusSucceeded)}, nil
}

// Void cancels an authorization before capture.
func (p *Provider) Void(ctx context.Context, req *plugin.VoidRequest) (*plugin.VoidResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	res, err := in.merchantCall(ctx, actionVoid, req.PaymentRef, plugin.Money{Currency: req.Amount.Currency})
	if err != nil {
		return nil, err
	}
	return &plugin.VoidResponse{PaymentResult: res.payment(plugin.StatusCanceled)}, nil
}

// Refund refunds all or part of a captured payment; RDP allows several
// refunds up to the captured amount. RDP has no refund id: the refund is
// known by its payment's transaction_id.
func (p *Provider) Refund(ctx context.Context, req *plugin.RefundRequest) (*plugin.RefundResponse, error) {
	in, err := p.configured()
	if err != nil {
		return nil, err
	}
	res, err := in.merchantCall(ctx, actionRefund, req.PaymentRef, req.Amount)
	if err != nil {
		return nil, err
	}
	status := plugin.RefundPending
	if res.accepted {
		status = plugin.RefundSucceeded
	}
	return &plugin.RefundResponse{RefundResult: plugin.RefundResult{
		Status: status, Amount: res.amount, ProviderStatus: res.status,
	}}, nil
}

// merchantResult is a Merchant API call's outcome: accepted, or a status
// payhost does not know (failed is an error).
type merchantResult struct {
	accepted      bool
	status        string
	transactionID string
	amount        plugin.Money
}

// payment is the payment result of an accepted operation (status done),
// or processing for an answer payhost does not know.
func (r merchantResult) payment(done plugin.PaymentStatus) plugin.PaymentResult {
	res := plugin.PaymentResult{Status: plugin.StatusProcessing, ProviderReference: r.transactionID, ProviderStatus: r.status}
	if r.accepted {
		res.Status = done
	}
	if done == plugin.StatusSucceeded {
		res.CapturedAmount = r.amount
	}
	return res
}

// merchantCall makes one Merchant API call on the payment ref for amount
// (no amount for a void: only its currency, which picks the MID).
func (in *instance) merchantCall(ctx context.Context, action string, ref plugin.PaymentRef, amount plugin.Money) (merchantResult, error) {
	what := action
	w := merchantRequest{ActionType: action}
	if action != actionVoid {
		var err error
		if w.Amount, err = amountString(amount); err != nil {
			return merchantResult{}, err
		}
		w.Currency = amount.Currency
	}
	var err error
	if w.MID, w.OrderNumber, w.TransactionID, err = in.locate(ctx, ref, amount.Currency, what); err != nil {
		return merchantResult{}, err
	}
	logger := plugin.Logger(ctx).With("action_type", action, "mid", w.MID, "transaction_id", w.TransactionID)
	secret, _ := in.cfg.secretOf(w.MID)
	form := w.form()
	form.Set("signature", merchantSignature(form, secret.Reveal()))
	var ans merchantAnswer
	a, err := in.send(ctx, in.cfg.merchantAPI, contentForm, []byte(form.Encode()), &ans, what)
	if err != nil {
		return merchantResult{}, err
	}
	want := merchantSignature(answerForm(a), secret.Reveal())
	if err := checkSignature(a.signature(), ans.ResultStatus == resultAccepted, want, w.MID, what, plugin.KindUnknownOutcome); err != nil {
		return merchantResult{}, err
	}
	logger.Info("RDP answered", "result_status", string(ans.ResultStatus), "reason_code", string(ans.ReasonCode))
	res := merchantResult{status: string(ans.ResultStatus), transactionID: w.TransactionID, amount: amount}
	switch ans.ResultStatus {
	case resultAccepted:
		res.accepted = true
		if echoed, err := parseAmount(ans.Amount, ans.Currency); err == nil && !echoed.IsZero() {
			res.amount = echoed
		}
	case resultFailed:
		msg := string(ans.ReasonMsg)
		if msg == "" {
			msg = "RDP refused the " + action
		}
		return merchantResult{}, plugin.Declined(string(ans.ReasonCode), msg)
	default:
		logger.Warn("the Merchant API answered a result_status payhost does not know; the operation may be under way")
	}
	return res, nil
}

// answerForm is a Merchant API answer's fields for its MD5 signature.
func answerForm(a answer) url.Values {
	f := url.Values{}
	for name, v := range a.fields {
		f.Set(name, phpString(scalar(v)))
	}
	return f
}

// locate finds what the Merchant API needs of a payment: its MID, order id
// and transaction_id. The ids come from ref when it has both; otherwise a
// status query finds them, and a payment RDP does not have is
// invalid_request.
func (in *instance) locate(ctx context.Context, ref plugin.PaymentRef, currency, what string) (mid, order, transactionID string, err error) {
	if ref.ProviderReference != "" && ref.AttemptID != "" {
		return in.cfg.midFor(currency), paymentOrderID(ref.AttemptID), ref.ProviderReference, nil
	}
	mid, ans, err := in.findPayment(ctx, ref, currency, what)
	if err != nil {
		return "", "", "", plugin.NotFoundAsInvalid(err, "")
	}
	return mid, string(ans.OrderID), string(ans.TransactionID), nil
}
