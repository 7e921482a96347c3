package host

import (
	"crypto/sha256"
	"crypto/subtle"

	"github.com/payhost/payhost/api"
	"github.com/payhost/payhost/internal/config"
)

// merchantKey is one merchant API key, kept as its SHA-256 so that every
// comparison takes the same time whatever the key's length.
type merchantKey struct {
	digest   [sha256.Size]byte
	merchant string
}

// merchantKeys returns the digests of every merchant's API keys.
func merchantKeys(cfg *config.Config) []merchantKey {
	var keys []merchantKey
	for id, m := range cfg.Merchants {
		for _, k := range m.APIKeys {
			keys = append(keys, merchantKey{digest: sha256.Sum256([]byte(k.Key.Reveal())), merchant: id})
		}
	}
	return keys
}

// Merchant returns the merchant whose API key apiKey is. It compares the
// key with every configured key, in constant time, and never stops early,
// so the time it takes says nothing about the key.
func (h *Host) Merchant(apiKey string) (string, bool) {
	digest := sha256.Sum256([]byte(apiKey))
	found := ""
	for _, k := range h.keys {
		if subtle.ConstantTimeCompare(digest[:], k.digest[:]) == 1 {
			found = k.merchant
		}
	}
	return found, found != "" && apiKey != ""
}

// checkMerchant refuses a merchant id that is not configured.
func (h *Host) checkMerchant(merchantID string) error {
	if _, ok := h.cfg.Merchants[merchantID]; !ok {
		return api.Errorf(api.CodeAuthentication, "", "merchant %q is not configured", merchantID)
	}
	return nil
}
