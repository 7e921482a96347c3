package reddot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"strconv"
	"time"

	"github.com/payhost/payhost/internal/sandbox/emukit"
)

// card is what the emulator keeps of a card: never the full number, only
// what RDP echoes (first 6, last 4, expiry) and a keyed fingerprint that
// recognises the same number again (for -3001, card already tokenised).
type card struct {
	First6      string
	Last4       string
	ExpDate     string // MMYYYY
	Fingerprint string
}

// fingerprinter derives card fingerprints with a key private to one
// emulator instance, so a fingerprint reveals nothing outside it.
type fingerprinter struct {
	key []byte
}

// newCard keeps the parts of pan the emulator may store.
func (f fingerprinter) newCard(pan, expDate string) card {
	mac := hmac.New(sha256.New, f.key)
	mac.Write([]byte(pan))
	return card{
		First6:      firstN(pan, 6),
		Last4:       lastN(pan, 4),
		ExpDate:     expDate,
		Fingerprint: hex.EncodeToString(mac.Sum(nil)),
	}
}

// validCardNo reports whether s is a plausible card number: 12 to 19
// digits (card_no is VARCHAR(19)) passing the Luhn check.
func validCardNo(s string) bool {
	return len(s) >= 12 && len(s) <= 19 && emukit.LuhnValid(s)
}

// checkExpDate validates an MMYYYY expiry against now (in RDP's UTC+8);
// the reason is empty when it is good.
func checkExpDate(s string, now time.Time) string {
	if len(s) != 6 || !allDigits(s) {
		return "exp_date must be MMYYYY, like 122031"
	}
	month, _ := strconv.Atoi(s[:2])
	year, _ := strconv.Atoi(s[2:])
	if month < 1 || month > 12 {
		return "exp_date month must be 01 to 12"
	}
	now = now.In(rdpZone)
	if year < now.Year() || (year == now.Year() && month < int(now.Month())) {
		return "exp_date is in the past; the card has expired"
	}
	return ""
}

// validEmail reports whether s is a bare e-mail address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// rdpZone is Singapore/Kuala Lumpur time (UTC+08:00), in which RDP writes
// every timestamp.
var rdpZone = time.FixedZone("SGT", 8*60*60)

// rdpTimestamp formats t the way RDP does: "2015-11-14 12:33:27" in UTC+8.
func rdpTimestamp(t time.Time) string {
	return t.In(rdpZone).Format(time.DateTime)
}
