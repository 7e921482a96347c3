package reddot

import (
	"strconv"
	"strings"
	"testing"
)

// Extra MIDs of the tests besides the default one.
var (
	noTokenMerchant = Merchant{MID: "1000089030", Secret: "no-token-secret"}
	uniqueMerchant  = Merchant{MID: "1000089031", Secret: "unique-secret", Tokenization: true, UniqueOrderID: true}
)

// withMerchants adds the tests' extra MIDs to the default one.
func withMerchants(c *Config) {
	c.Merchants = []Merchant{DefaultMerchant(), noTokenMerchant, uniqueMerchant}
}

func TestDirectTokenLifecycle(t *testing.T) {
	e := newEnv(t)
	create := e.fixture("direct_token_create")

	created := e.post(PathTokenAPI, signed(create, DefaultSecret))
	wantResult(t, created, codeOK, DefaultSecret)
	tokenID := str(t, created, "token_id")
	if len(tokenID) != 30 || !allDigits(tokenID) {
		t.Fatalf("token_id = %q, want 30 digits", tokenID)
	}
	for k, want := range map[string]string{
		"transaction_type": "C", "payer_id": "CUST-1", "first_6": "411111", "last_4": "1111",
		"exp_date": "122031", "payer_name": "JOHN DOE", "order_id": "TOK-001", "mid": DefaultMID,
		"merchant_reference": "first card", "created_timestamp": "2026-03-02 17:30:00",
	} {
		if got := str(t, created, k); got != want {
			t.Errorf("create: %s = %q, want %q", k, got, want)
		}
	}
	if strings.Contains(string(mustJSON(created)), "4111111111111111") {
		t.Fatal("the create answer contains the full card number")
	}

	modified := e.post(PathTokenAPI, signed(with(create, map[string]any{
		"order_id": "TOK-002", "transaction_type": "M", "token_id": tokenID,
		"card_no": "5555555555554444", "exp_date": "012030", "payer_name": "J DOE",
	}), DefaultSecret))
	wantResult(t, modified, codeOK, DefaultSecret)
	if str(t, modified, "token_id") != tokenID || str(t, modified, "first_6") != "555555" ||
		str(t, modified, "last_4") != "4444" || str(t, modified, "exp_date") != "012030" || str(t, modified, "payer_name") != "J DOE" {
		t.Errorf("modify did not replace the card: %v", modified)
	}

	// The old card is free again; the new one belongs to the token.
	again := e.post(PathTokenAPI, signed(with(create, map[string]any{"order_id": "TOK-003", "payer_id": "CUST-9"}), DefaultSecret))
	wantResult(t, again, codeOK, DefaultSecret)

	removed := e.post(PathTokenAPI, signed(map[string]any{
		"mid": DefaultMID, "order_id": "TOK-004", "api_mode": "direct_token_api", "transaction_type": "R",
		"payer_id": "CUST-1", "payer_email": "john@example.com", "token_id": tokenID,
	}, DefaultSecret))
	wantResult(t, removed, codeOK, DefaultSecret)
	if str(t, removed, "transaction_type") != "R" || str(t, removed, "token_id") != tokenID {
		t.Errorf("remove answer = %v", removed)
	}

	// Each step can be queried by its transaction_id.
	for _, step := range []map[string]any{created, modified, removed} {
		q := e.query(PathQueryToken, str(t, step, "transaction_id"))
		wantResult(t, q, codeOK, DefaultSecret)
		if q["transaction_type"] != step["transaction_type"] || q["token_id"] != tokenID {
			t.Errorf("query %v does not match %v", q, step)
		}
	}

	// A removed token can neither be modified nor removed again.
	gone := e.post(PathTokenAPI, signed(with(create, map[string]any{
		"order_id": "TOK-005", "transaction_type": "M", "token_id": tokenID, "card_no": nil,
	}), DefaultSecret))
	wantError(t, gone, codeTokenNotFound)
}

func TestDirectTokenTypeAlias(t *testing.T) {
	e := newEnv(t)
	req := with(e.fixture("direct_token_create"), map[string]any{"transaction_type": nil, "type": "C"})
	wantResult(t, e.post(PathTokenAPI, signed(req, DefaultSecret)), codeOK, DefaultSecret)
}

func TestDirectTokenDeclinedCard(t *testing.T) {
	e := newEnv(t)
	req := with(e.fixture("direct_token_create"), map[string]any{"card_no": CardDecline})
	resp := e.post(PathTokenAPI, signed(req, DefaultSecret))
	wantResult(t, resp, codeRejected, DefaultSecret)
	if resp["token_id"] != "" {
		t.Errorf("a declined card got token %v", resp["token_id"])
	}
}

func TestTokenAPIRejections(t *testing.T) {
	type tc struct {
		name   string
		setup  []string // fixture-based creates sent first, by payer_id:card
		body   func(e *env) any
		want   string
		config func(*Config)
	}
	direct := func(set map[string]any) func(e *env) any {
		return func(e *env) any { return signed(with(e.fixture("direct_token_create"), set), DefaultSecret) }
	}
	hosted := func(set map[string]any) func(e *env) any {
		return func(e *env) any { return signed(with(e.fixture("hosted_token_create"), set), DefaultSecret) }
	}
	as := func(m Merchant, set map[string]any) func(e *env) any {
		return func(e *env) any {
			return signed(with(e.fixture("direct_token_create"), with(map[string]any{"mid": m.MID}, set)), m.Secret)
		}
	}
	tests := []tc{
		{name: "body is not JSON", body: func(*env) any { return []byte("mid=1000089029") }, want: codeNotJSON},
		{name: "body is a JSON array", body: func(*env) any { return []byte(`[1]`) }, want: codeNotJSON},
		{name: "api_mode missing", body: direct(map[string]any{"api_mode": nil}), want: codeFieldMissing},
		{name: "api_mode unknown", body: direct(map[string]any{"api_mode": "token_api"}), want: codeBadAPIMode},
		{name: "mid unknown", body: direct(map[string]any{"mid": "999"}), want: codeMIDNotFound},
		{name: "signature missing", body: func(e *env) any { return e.fixture("direct_token_create") }, want: codeFieldMissing},
		{name: "signature wrong", body: func(e *env) any { return signed(e.fixture("direct_token_create"), "wrong") }, want: codeBadSignature},
		{name: "signature over other values", body: func(e *env) any {
			return with(signed(e.fixture("direct_token_create"), DefaultSecret), map[string]any{"payer_name": "MALLORY"})
		}, want: codeBadSignature},
		{name: "tokenization not enabled", body: as(noTokenMerchant, nil), want: codeNoTokenization, config: withMerchants},
		{name: "transaction_type missing", body: direct(map[string]any{"transaction_type": nil}), want: codeFieldMissing},
		{name: "transaction_type unknown", body: direct(map[string]any{"transaction_type": "X"}), want: codeBadTxnType},
		{name: "remove in hosted mode", body: hosted(map[string]any{"transaction_type": "R"}), want: codeRemoveNeedsDirect},
		{name: "payer_email missing", body: direct(map[string]any{"payer_email": nil}), want: codeFieldMissing},
		{name: "payer_name empty", body: direct(map[string]any{"payer_name": ""}), want: codeFieldEmpty},
		{name: "payer_name too long", body: direct(map[string]any{"payer_name": strings.Repeat("A", 46)}), want: codeFieldTooLong},
		{name: "order_id missing", body: direct(map[string]any{"order_id": nil}), want: codeFieldMissing},
		{name: "order_id with a space", body: direct(map[string]any{"order_id": "TOK 001"}), want: codeBadOrderID},
		{name: "order_id of 33 characters", body: direct(map[string]any{"order_id": strings.Repeat("A", 33)}), want: codeBadOrderID},
		{name: "card_no fails Luhn", body: direct(map[string]any{"card_no": "4111111111111112"}), want: codeBadCardNo},
		{name: "card_no too short", body: direct(map[string]any{"card_no": "42424242"}), want: codeBadCardNo},
		{name: "card_no not digits", body: direct(map[string]any{"card_no": "4111-1111-1111-1111"}), want: codeBadCardNo},
		{name: "card_no missing on create", body: direct(map[string]any{"card_no": nil}), want: codeNeedCardOrWallet},
		{name: "exp_date month 13", body: direct(map[string]any{"exp_date": "132031"}), want: codeBadExpDate},
		{name: "exp_date MMYY", body: direct(map[string]any{"exp_date": "1231"}), want: codeBadExpDate},
		{name: "exp_date in the past", body: direct(map[string]any{"exp_date": "022026"}), want: codeBadExpDate},
		{name: "exp_date missing", body: direct(map[string]any{"exp_date": nil}), want: codeFieldMissing},
		{name: "payer_email malformed", body: direct(map[string]any{"payer_email": "john@"}), want: codeBadPayerEmail},
		{name: "hosted payer_email malformed", body: hosted(map[string]any{"payer_email": "not an email"}), want: codeBadPayerEmail},
		{name: "hosted notify_url missing", body: hosted(map[string]any{"notify_url": nil}), want: codeFieldMissing},
		{name: "hosted redirect_url not absolute", body: hosted(map[string]any{"redirect_url": "/return"}), want: codeFieldEmpty},
		{name: "hosted modify without payer_id", body: hosted(map[string]any{"transaction_type": "M", "payer_id": nil}), want: codeFieldMissing},
		{name: "hosted modify of unknown payer", body: hosted(map[string]any{"transaction_type": "M", "payer_id": "NOBODY"}), want: codeTokenNotFound},
		{name: "modify unknown token_id", body: direct(map[string]any{"transaction_type": "M", "token_id": "123456789012345678901234567890"}), want: codeTokenNotFound},
		{name: "remove without token_id", body: direct(map[string]any{"transaction_type": "R", "token_id": nil}), want: codeFieldMissing},
		{name: "payer_id used before", setup: []string{"CUST-1:" + CardApprove},
			body: direct(map[string]any{"order_id": "TOK-002", "card_no": "5555555555554444"}), want: codePayerIDUsed},
		{name: "hosted payer_id used before", setup: []string{"CUST-2:" + CardApprove},
			body: hosted(nil), want: codePayerIDUsed},
		{name: "card tokenised before", setup: []string{"CUST-7:" + CardApprove},
			body: direct(map[string]any{"order_id": "TOK-002"}), want: codeCardTokenised},
		{name: "order_id reused with unique order ids", config: withMerchants,
			body: func(e *env) any {
				first := as(uniqueMerchant, map[string]any{"payer_id": "U-1", "card_no": "5555555555554444"})(e)
				wantResult(t, e.post(PathTokenAPI, first), codeOK, uniqueMerchant.Secret)
				return as(uniqueMerchant, nil)(e)
			}, want: codeDuplicateOrderID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *env
			if tt.config != nil {
				e = newEnv(t, tt.config)
			} else {
				e = newEnv(t)
			}
			for i, s := range tt.setup {
				payer, pan, _ := strings.Cut(s, ":")
				req := with(e.fixture("direct_token_create"), map[string]any{"order_id": "SETUP-" + strconv.Itoa(i), "payer_id": payer, "card_no": pan})
				wantResult(t, e.post(PathTokenAPI, signed(req, DefaultSecret)), codeOK, DefaultSecret)
			}
			resp := e.post(PathTokenAPI, tt.body(e))
			wantError(t, resp, tt.want)
			if strings.Contains(string(mustJSON(resp)), "4111111111111111") {
				t.Errorf("the error answer contains a card number: %v", resp)
			}
		})
	}
}

func TestTokenErrorsNameTheField(t *testing.T) {
	e := newEnv(t)
	for field, set := range map[string]map[string]any{
		"payer_email": {"payer_email": nil},
		"payer_name":  {"payer_name": strings.Repeat("A", 46)},
		"card_no":     {"card_no": "4111111111111112"},
		"exp_date":    {"exp_date": "132031"},
		"order_id":    {"order_id": "a b"},
	} {
		resp := e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), set), DefaultSecret))
		if msg, _ := resp["response_msg"].(string); !strings.Contains(msg, field) {
			t.Errorf("%s: response_msg %q does not name the field", field, msg)
		}
	}
}
