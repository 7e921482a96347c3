package reddot

import "testing"

func TestQueryRejections(t *testing.T) {
	type tc struct {
		name string
		path string
		body func(e *env, txn string) any
		want string
	}
	q := func(mid, id, secret string) map[string]any {
		return signed(map[string]any{"request_mid": mid, "transaction_id": id}, secret)
	}
	var tests []tc
	for _, path := range []string{PathQueryToken, PathQueryPayment} {
		tests = append(tests,
			tc{"not JSON", path, func(*env, string) any { return []byte("transaction_id=1") }, codeNotJSON},
			tc{"request_mid missing", path, func(_ *env, txn string) any {
				return signed(map[string]any{"transaction_id": txn}, DefaultSecret)
			}, codeFieldMissing},
			tc{"request_mid unknown", path, func(_ *env, txn string) any { return q("1", txn, DefaultSecret) }, codeMIDNotFound},
			tc{"signature wrong", path, func(_ *env, txn string) any { return q(DefaultMID, txn, "other") }, codeBadSignature},
			tc{"transaction_id missing", path, func(*env, string) any {
				return signed(map[string]any{"request_mid": DefaultMID}, DefaultSecret)
			}, codeFieldMissing},
			tc{"transaction_id unknown", path, func(*env, string) any { return q(DefaultMID, "NOPE_1", DefaultSecret) }, codeQueryNotFound},
			tc{"order_id without unique order ids", path, func(*env, string) any { return q(DefaultMID, "Q-1", DefaultSecret) }, codeQueryNotFound},
			tc{"another mid's transaction", path, func(_ *env, txn string) any { return q(uniqueMerchant.MID, txn, uniqueMerchant.Secret) }, codeQueryNotFound},
		)
	}
	tests = append(tests,
		tc{"payment id on the token query", PathQueryToken, func(e *env, _ string) any {
			return q(DefaultMID, str(t, e.pay(nil), "transaction_id"), DefaultSecret)
		}, codeQueryNotFound},
		tc{"token id on the payment query", PathQueryPayment, func(e *env, _ string) any {
			tok := e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{"payer_id": "X"}), DefaultSecret))
			return q(DefaultMID, str(t, tok, "transaction_id"), DefaultSecret)
		}, codeQueryNotFound},
	)
	for _, tt := range tests {
		t.Run(tt.path+"/"+tt.name, func(t *testing.T) {
			e := newEnv(t, withMerchants)
			// One transaction of the right kind exists, so a refusal is
			// about the query, not an empty store.
			var txn string
			if tt.path == PathQueryToken {
				txn = str(t, e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{"order_id": "Q-1"}), DefaultSecret)), "transaction_id")
			} else {
				txn = str(t, e.pay(map[string]any{"order_id": "Q-1"}), "transaction_id")
			}
			wantResult(t, e.query(tt.path, txn), codeOK, DefaultSecret)
			wantError(t, e.post(tt.path, tt.body(e, txn)), tt.want)
		})
	}
}

func TestQueryByOrderIDWithUniqueOrderIDs(t *testing.T) {
	e := newEnv(t, withMerchants)
	byOrder := func(path, orderID string) map[string]any {
		return e.post(path, signed(map[string]any{"request_mid": uniqueMerchant.MID, "transaction_id": orderID}, uniqueMerchant.Secret))
	}
	tok := e.post(PathTokenAPI, signed(with(e.fixture("direct_token_create"), map[string]any{"mid": uniqueMerchant.MID}), uniqueMerchant.Secret))
	wantResult(t, tok, codeOK, uniqueMerchant.Secret)
	got := byOrder(PathQueryToken, "TOK-001")
	wantResult(t, got, codeOK, uniqueMerchant.Secret)
	if got["transaction_id"] != tok["transaction_id"] {
		t.Errorf("query by order id found %v, want %v", got["transaction_id"], tok["transaction_id"])
	}

	sale := e.post(PathPaymentAPI, paySigned(with(e.fixture("direct_sale"), map[string]any{"mid": uniqueMerchant.MID}), uniqueMerchant.Secret))
	wantResult(t, sale, codeOK, uniqueMerchant.Secret)
	if got := byOrder(PathQueryPayment, "PAY-001"); got["transaction_id"] != sale["transaction_id"] {
		t.Errorf("payment query by order id found %v", got)
	}
}
