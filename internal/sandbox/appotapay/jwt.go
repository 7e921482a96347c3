package appotapay

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// authHeader carries the JWT on every AppotaPay call.
const authHeader = "X-APPOTAPAY-AUTH"

// jwtHeader is the JOSE header of an AppotaPay token:
// {"typ":"JWT","alg":"HS256","cty":"appotapay-api;v=1"}.
type jwtHeader struct {
	Typ string `json:"typ"`
	Alg string `json:"alg"`
	Cty string `json:"cty"`
}

// jwtClaims are the claims AppotaPay reads: iss is the partner code, jti
// API_KEY-unixtime, api_key the API key, exp the expiry in unix seconds.
type jwtClaims struct {
	Iss    string      `json:"iss"`
	Jti    string      `json:"jti"`
	APIKey string      `json:"api_key"`
	Exp    json.Number `json:"exp"`
}

// authenticate checks the X-APPOTAPAY-AUTH value (an optional "Bearer "
// prefix, then an HS256 JWT) at time now and returns the partner it
// belongs to. Every rejection is HTTP 401 with AppotaPay's errorCode:
// 11 unknown partner, 13 partner locked, 14 unknown API key, 15 API key
// inactive, 401 for anything else about the token.
func authenticate(value string, now time.Time, partners map[string]*Partner) (*Partner, *apiError) {
	token := strings.TrimSpace(value)
	if len(token) >= 7 && strings.EqualFold(token[:7], "Bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	if token == "" {
		return nil, authError(codeUnauthorized, "Unauthorized: the %s header is required", authHeader)
	}
	segments := strings.Split(token, ".")
	if len(segments) != 3 {
		return nil, authError(codeUnauthorized, "Unauthorized: %s is not a JWT (want header.payload.signature)", authHeader)
	}
	var header jwtHeader
	if !decodeSegment(segments[0], &header) {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT header is not base64url-encoded JSON")
	}
	if header.Alg != "HS256" {
		return nil, authError(codeUnauthorized, "Unauthorized: JWT alg %q is not accepted; AppotaPay tokens are signed with HS256", header.Alg)
	}
	if header.Cty == "" {
		return nil, authError(codeUnauthorized, `Unauthorized: the JWT header must set cty ("appotapay-api;v=1")`)
	}
	var claims jwtClaims
	if !decodeSegment(segments[1], &claims) {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT payload is not base64url-encoded JSON")
	}
	if claims.Iss == "" {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT claim iss (partner code) is required")
	}
	partner, ok := partners[claims.Iss]
	if !ok {
		return nil, authError(codePartnerNotFound, "Partner is not found: no partner with code %q (JWT claim iss)", claims.Iss)
	}
	if !verifyJWTSignature(partner.SecretKey, segments) {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT signature does not verify with the partner's secret key")
	}
	if partner.Locked {
		return nil, authError(codePartnerLocked, "Partner has been locked: %q", partner.Code)
	}
	if claims.APIKey != partner.APIKey {
		return nil, authError(codeAPIKeyNotFound, "API Key is invalid: the JWT claim api_key is not an API key of partner %q", partner.Code)
	}
	if partner.APIKeyInactive {
		return nil, authError(codeAPIKeyInactive, "API Key is not activated or blocked")
	}
	if claims.Exp == "" {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT claim exp is required")
	}
	exp, err := strconv.ParseInt(claims.Exp.String(), 10, 64)
	if err != nil {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT claim exp must be a whole number of unix seconds")
	}
	if now.Unix() >= exp {
		return nil, authError(codeUnauthorized, "Unauthorized: the JWT expired at %s", time.Unix(exp, 0).UTC().Format(time.RFC3339))
	}
	return partner, nil
}

// decodeSegment base64url-decodes a JWT segment (padding tolerated) and
// JSON-decodes it into v.
func decodeSegment(segment string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(segment, "="))
	if err != nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v) == nil
}

// verifyJWTSignature checks the HS256 signature of header.payload, over
// the segments exactly as received.
func verifyJWTSignature(secret string, segments []string) bool {
	got, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(segments[2], "="))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(segments[0]))
	mac.Write([]byte{'.'})
	mac.Write([]byte(segments[1]))
	return hmac.Equal(got, mac.Sum(nil))
}
