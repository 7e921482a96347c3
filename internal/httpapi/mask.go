package httpapi

import (
	"regexp"
	"strings"

	"github.com/payhost/payhost/plugin"
)

// panLike matches what could be a card number: 12 to 19 digits, possibly
// grouped by single spaces or dashes.
var panLike = regexp.MustCompile(`\d(?:[ -]?\d){11,18}`)

// maskPANs masks every run of s that could be a card number to its first
// six and last four digits, so that no error message echoes one, whoever
// wrote it (a gateway's message relayed by a plugin, say).
func maskPANs(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	return panLike.ReplaceAllStringFunc(s, func(run string) string {
		return plugin.NewCardNumber(run).Masked()
	})
}
