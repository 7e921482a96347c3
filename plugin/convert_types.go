package plugin

import (
	"fmt"
	"time"

	pb "github.com/payhost/payhost/plugin/internal/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Conversions between the SDK's shared types and their wire messages. The
// wire carries an unset message for a zero value where the SDK has no
// pointer (Money, times), and proto getters read an unset message as zero,
// so every conversion is lossless both ways.

func moneyToProto(m Money) *pb.Money {
	if m.IsZero() {
		return nil
	}
	return &pb.Money{Amount: m.Amount, Currency: m.Currency}
}

func moneyFromProto(p *pb.Money) Money {
	return Money{Amount: p.GetAmount(), Currency: p.GetCurrency()}
}

func timeToProto(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func timeFromProto(p *timestamppb.Timestamp) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.AsTime()
}

func durationToProto(d time.Duration) *durationpb.Duration {
	if d == 0 {
		return nil
	}
	return durationpb.New(d)
}

// optionalToProto and optionalFromProto convert a value the SDK holds
// behind a pointer (nil when absent) with the conversion of its type.
func optionalToProto[T, P any](v *T, conv func(T) *P) *P {
	if v == nil {
		return nil
	}
	return conv(*v)
}

func optionalFromProto[P, T any](p *P, conv func(*P) T) *T {
	if p == nil {
		return nil
	}
	v := conv(p)
	return &v
}

func secretFromProto(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return NewSecret(s)
}

func cardNumberFromProto(s string) CardNumber {
	if s == "" {
		return CardNumber{}
	}
	return NewCardNumber(s)
}

// stringsOf and typedOf convert between the SDK's typed string lists
// (operations, methods) and the wire's plain strings.
func stringsOf[T ~string](in []T) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func typedOf[T ~string](in []string) []T {
	if in == nil {
		return nil
	}
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = T(v)
	}
	return out
}

func headerToProto(h map[string][]string) map[string]*pb.HeaderValues {
	if h == nil {
		return nil
	}
	out := make(map[string]*pb.HeaderValues, len(h))
	for k, v := range h {
		out[k] = &pb.HeaderValues{Values: v}
	}
	return out
}

func headerFromProto(h map[string]*pb.HeaderValues) map[string][]string {
	if h == nil {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, v := range h {
		out[k] = v.GetValues()
	}
	return out
}

func customerToProto(c Customer) *pb.Customer {
	return &pb.Customer{Id: c.ID, Email: c.Email, Name: c.Name, Ip: c.IP, Phone: c.Phone}
}

func customerFromProto(p *pb.Customer) Customer {
	return Customer{ID: p.GetId(), Email: p.GetEmail(), Name: p.GetName(), IP: p.GetIp(), Phone: p.GetPhone()}
}

func cardToProto(c Card) *pb.Card {
	return &pb.Card{
		Number:     c.Number.Reveal(),
		ExpMonth:   int64(c.ExpMonth),
		ExpYear:    int64(c.ExpYear),
		Cvc:        c.CVC.Reveal(),
		HolderName: c.HolderName,
	}
}

func cardFromProto(p *pb.Card) Card {
	return Card{
		Number:     cardNumberFromProto(p.GetNumber()),
		ExpMonth:   int(p.GetExpMonth()),
		ExpYear:    int(p.GetExpYear()),
		CVC:        secretFromProto(p.GetCvc()),
		HolderName: p.GetHolderName(),
	}
}

func cardInfoToProto(c CardInfo) *pb.CardInfo {
	return &pb.CardInfo{
		First6: c.First6, Last4: c.Last4,
		ExpMonth: int64(c.ExpMonth), ExpYear: int64(c.ExpYear),
		Brand: c.Brand, HolderName: c.HolderName,
	}
}

func cardInfoFromProto(p *pb.CardInfo) CardInfo {
	return CardInfo{
		First6: p.GetFirst6(), Last4: p.GetLast4(),
		ExpMonth: int(p.GetExpMonth()), ExpYear: int(p.GetExpYear()),
		Brand: p.GetBrand(), HolderName: p.GetHolderName(),
	}
}

func storedTokenToProto(t StoredToken) *pb.StoredToken {
	return &pb.StoredToken{Token: t.Token, CustomerRef: t.CustomerRef}
}

func storedTokenFromProto(p *pb.StoredToken) StoredToken {
	return StoredToken{Token: p.GetToken(), CustomerRef: p.GetCustomerRef()}
}

func nextActionToProto(a NextAction) *pb.NextAction {
	return &pb.NextAction{
		Type: string(a.Type), Url: a.URL, QrCode: a.QRCode, DeepLink: a.DeepLink,
		ExpiresAt: timeToProto(a.ExpiresAt),
	}
}

func nextActionFromProto(p *pb.NextAction) NextAction {
	return NextAction{
		Type: NextActionType(p.GetType()), URL: p.GetUrl(), QRCode: p.GetQrCode(), DeepLink: p.GetDeepLink(),
		ExpiresAt: timeFromProto(p.GetExpiresAt()),
	}
}

func paymentRefToProto(r PaymentRef) *pb.PaymentRef {
	return &pb.PaymentRef{PaymentId: r.PaymentID, AttemptId: r.AttemptID, ProviderReference: r.ProviderReference}
}

func paymentRefFromProto(p *pb.PaymentRef) PaymentRef {
	return PaymentRef{PaymentID: p.GetPaymentId(), AttemptID: p.GetAttemptId(), ProviderReference: p.GetProviderReference()}
}

func tokenRefToProto(r TokenRef) *pb.TokenRef {
	return &pb.TokenRef{TokenId: r.TokenID, Token: r.Token, CustomerRef: r.CustomerRef, ProviderReference: r.ProviderReference}
}

func tokenRefFromProto(p *pb.TokenRef) TokenRef {
	return TokenRef{TokenID: p.GetTokenId(), Token: p.GetToken(), CustomerRef: p.GetCustomerRef(), ProviderReference: p.GetProviderReference()}
}

func paymentResultToProto(r PaymentResult) *pb.PaymentResult {
	return &pb.PaymentResult{
		Status:            string(r.Status),
		ProviderReference: r.ProviderReference,
		NextAction:        optionalToProto(r.NextAction, nextActionToProto),
		Amount:            moneyToProto(r.Amount),
		CapturedAmount:    moneyToProto(r.CapturedAmount),
		Card:              optionalToProto(r.Card, cardInfoToProto),
		ProviderStatus:    r.ProviderStatus,
		FailureCode:       r.FailureCode,
		FailureMessage:    r.FailureMessage,
	}
}

func paymentResultFromProto(p *pb.PaymentResult) PaymentResult {
	return PaymentResult{
		Status:            PaymentStatus(p.GetStatus()),
		ProviderReference: p.GetProviderReference(),
		NextAction:        optionalFromProto(p.GetNextAction(), nextActionFromProto),
		Amount:            moneyFromProto(p.GetAmount()),
		CapturedAmount:    moneyFromProto(p.GetCapturedAmount()),
		Card:              optionalFromProto(p.GetCard(), cardInfoFromProto),
		ProviderStatus:    p.GetProviderStatus(),
		FailureCode:       p.GetFailureCode(),
		FailureMessage:    p.GetFailureMessage(),
	}
}

func refundResultToProto(r RefundResult) *pb.RefundResult {
	return &pb.RefundResult{
		Status:                  string(r.Status),
		ProviderRefundReference: r.ProviderRefundReference,
		Amount:                  moneyToProto(r.Amount),
		ProviderStatus:          r.ProviderStatus,
		FailureCode:             r.FailureCode,
		FailureMessage:          r.FailureMessage,
	}
}

func refundResultFromProto(p *pb.RefundResult) RefundResult {
	return RefundResult{
		Status:                  RefundStatus(p.GetStatus()),
		ProviderRefundReference: p.GetProviderRefundReference(),
		Amount:                  moneyFromProto(p.GetAmount()),
		ProviderStatus:          p.GetProviderStatus(),
		FailureCode:             p.GetFailureCode(),
		FailureMessage:          p.GetFailureMessage(),
	}
}

func tokenResultToProto(r TokenResult) *pb.TokenResult {
	return &pb.TokenResult{
		Status:            string(r.Status),
		Token:             r.Token,
		CustomerRef:       r.CustomerRef,
		ProviderReference: r.ProviderReference,
		NextAction:        optionalToProto(r.NextAction, nextActionToProto),
		Card:              optionalToProto(r.Card, cardInfoToProto),
		ProviderStatus:    r.ProviderStatus,
		FailureCode:       r.FailureCode,
		FailureMessage:    r.FailureMessage,
	}
}

func tokenResultFromProto(p *pb.TokenResult) TokenResult {
	return TokenResult{
		Status:            TokenStatus(p.GetStatus()),
		Token:             p.GetToken(),
		CustomerRef:       p.GetCustomerRef(),
		ProviderReference: p.GetProviderReference(),
		NextAction:        optionalFromProto(p.GetNextAction(), nextActionFromProto),
		Card:              optionalFromProto(p.GetCard(), cardInfoFromProto),
		ProviderStatus:    p.GetProviderStatus(),
		FailureCode:       p.GetFailureCode(),
		FailureMessage:    p.GetFailureMessage(),
	}
}

func eventToProto(e Event) *pb.Event {
	return &pb.Event{
		Id:                e.ID,
		Type:              string(e.Type),
		AttemptId:         e.AttemptID,
		ProviderReference: e.ProviderReference,
		Payment:           optionalToProto(e.Payment, paymentResultToProto),
		RefundId:          e.RefundID,
		Refund:            optionalToProto(e.Refund, refundResultToProto),
		TokenId:           e.TokenID,
		Token:             optionalToProto(e.Token, tokenResultToProto),
		OccurredAt:        timeToProto(e.OccurredAt),
	}
}

func eventFromProto(p *pb.Event) Event {
	return Event{
		ID:                p.GetId(),
		Type:              EventType(p.GetType()),
		AttemptID:         p.GetAttemptId(),
		ProviderReference: p.GetProviderReference(),
		Payment:           optionalFromProto(p.GetPayment(), paymentResultFromProto),
		RefundID:          p.GetRefundId(),
		Refund:            optionalFromProto(p.GetRefund(), refundResultFromProto),
		TokenID:           p.GetTokenId(),
		Token:             optionalFromProto(p.GetToken(), tokenResultFromProto),
		OccurredAt:        timeFromProto(p.GetOccurredAt()),
	}
}

func capabilitiesToProto(c Capabilities) *pb.Capabilities {
	return &pb.Capabilities{
		Operations: stringsOf(c.Operations),
		Methods:    stringsOf(c.Methods),
		Currencies: c.Currencies,
	}
}

func capabilitiesFromProto(p *pb.Capabilities) Capabilities {
	return Capabilities{
		Operations: typedOf[Operation](p.GetOperations()),
		Methods:    typedOf[PaymentMethod](p.GetMethods()),
		Currencies: p.GetCurrencies(),
	}
}

func schemaToProto(s Schema) (*pb.Schema, error) {
	out := &pb.Schema{}
	for _, a := range s.Attributes {
		def, err := valueToProto(a.Default)
		if err != nil {
			return nil, fmt.Errorf("attribute %q default: %w", a.Name, err)
		}
		out.Attributes = append(out.Attributes, &pb.Attribute{
			Name: a.Name, Type: string(a.Type), Required: a.Required, Sensitive: a.Sensitive,
			Default: def, Description: a.Description,
		})
	}
	return out, nil
}

func schemaFromProto(p *pb.Schema) (Schema, error) {
	var out Schema
	for _, a := range p.GetAttributes() {
		def, err := valueFromProto(a.GetDefault())
		if err != nil {
			return Schema{}, fmt.Errorf("attribute %q default: %w", a.GetName(), err)
		}
		out.Attributes = append(out.Attributes, Attribute{
			Name: a.GetName(), Type: AttributeType(a.GetType()), Required: a.GetRequired(), Sensitive: a.GetSensitive(),
			Default: def, Description: a.GetDescription(),
		})
	}
	return out, nil
}

func configToProto(c Config) (*pb.Config, error) {
	names := c.Names()
	out := &pb.Config{Values: make(map[string]*pb.Value, len(names))}
	for _, name := range names {
		pv, err := valueToProto(c.get(name))
		if err != nil {
			return nil, fmt.Errorf("config attribute %q: %w", name, err)
		}
		out.Values[name] = pv
	}
	return out, nil
}

func configFromProto(p *pb.Config) (Config, error) {
	if len(p.GetValues()) == 0 {
		return Config{}, nil
	}
	values := make(map[string]any, len(p.GetValues()))
	for name, pv := range p.GetValues() {
		v, err := valueFromProto(pv)
		if err != nil {
			return Config{}, fmt.Errorf("config attribute %q: %w", name, err)
		}
		if v == nil {
			return Config{}, fmt.Errorf("config attribute %q has no value", name)
		}
		values[name] = v
	}
	return NewConfig(values)
}

// valueToProto encodes a configuration value: nil (no value), string,
// int64, bool, []string or map[string]string.
func valueToProto(v any) (*pb.Value, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return &pb.Value{Kind: &pb.Value_StringValue{StringValue: v}}, nil
	case int64:
		return &pb.Value{Kind: &pb.Value_NumberValue{NumberValue: v}}, nil
	case bool:
		return &pb.Value{Kind: &pb.Value_BoolValue{BoolValue: v}}, nil
	case []string:
		return &pb.Value{Kind: &pb.Value_ListValue{ListValue: &pb.StringList{Values: v}}}, nil
	case map[string]string:
		return &pb.Value{Kind: &pb.Value_MapValue{MapValue: &pb.StringMap{Values: v}}}, nil
	}
	return nil, fmt.Errorf("%T is not a configuration value (string, int64, bool, []string or map[string]string)", v)
}

// valueFromProto decodes a configuration value; an unset message is nil.
func valueFromProto(p *pb.Value) (any, error) {
	if p == nil {
		return nil, nil
	}
	switch k := p.GetKind().(type) {
	case *pb.Value_StringValue:
		return k.StringValue, nil
	case *pb.Value_NumberValue:
		return k.NumberValue, nil
	case *pb.Value_BoolValue:
		return k.BoolValue, nil
	case *pb.Value_ListValue:
		return k.ListValue.GetValues(), nil
	case *pb.Value_MapValue:
		return k.MapValue.GetValues(), nil
	}
	return nil, fmt.Errorf("value has no kind this SDK knows")
}
