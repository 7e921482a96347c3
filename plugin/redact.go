package plugin

import (
	"strings"
	"sync"
)

// minSecretLen is the shortest sensitive configuration value the server
// scrubs from error messages: shorter ones would mangle ordinary text.
const minSecretLen = 4

// redactor cleans text before it leaves a plugin: error messages, codes
// and params, configuration warnings, panic values in the log. It masks
// anything that looks like a card number and replaces the values of the
// instance's sensitive configuration attributes with REDACTED.
type redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// setSecrets replaces the values to scrub.
func (r *redactor) setSecrets(secrets []string) {
	var keep []string
	for _, s := range secrets {
		if len(s) >= minSecretLen {
			keep = append(keep, s)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secrets = keep
}

// clean returns s with secrets replaced and card numbers masked.
func (r *redactor) clean(s string) string {
	r.mu.RLock()
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	r.mu.RUnlock()
	return MaskCardNumbers(s)
}

// sensitiveValues returns the string values of the attributes the schema
// marks sensitive.
func sensitiveValues(schema Schema, config Config) []string {
	var out []string
	for _, a := range schema.Attributes {
		if !a.Sensitive {
			continue
		}
		switch v := config.Value(a.Name).(type) {
		case string:
			out = append(out, v)
		case []string:
			out = append(out, v...)
		case map[string]string:
			// The values are the secrets (a map of MID to key, say); the
			// keys name them.
			for _, s := range v {
				out = append(out, s)
			}
		}
	}
	return out
}

// MaskCardNumbers returns s with every run of 13 to 19 digits that passes
// the Luhn check masked to its first six and last four digits, as
// CardNumber prints. Digits may be grouped by single spaces or dashes
// ("4111 1111 1111 1111"); the grouping is kept. The SDK applies it to every
// error message before it leaves a plugin; providers may use it on gateway
// text they log.
func MaskCardNumbers(s string) string {
	groups := digitGroups(s)
	var out []byte
	for k := range groups {
		digits := 0
		for h := k; h < len(groups); h++ {
			if h > k && !groups[h-1].joined {
				break
			}
			digits += groups[h].end - groups[h].start
			if digits > 19 {
				break
			}
			span := s[groups[k].start:groups[h].end]
			if digits >= 13 && luhnValid(span) {
				if out == nil {
					out = []byte(s)
				}
				maskSpan(out[groups[k].start:groups[h].end], span, digits)
			}
		}
	}
	if out == nil {
		return s
	}
	return string(out)
}

// digitGroup is one maximal run of digits in a string; joined says that a
// single space or dash links it to the next run.
type digitGroup struct {
	start, end int
	joined     bool
}

func digitGroups(s string) []digitGroup {
	var groups []digitGroup
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		g := digitGroup{start: i}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		g.end = i
		g.joined = i+1 < len(s) && (s[i] == ' ' || s[i] == '-') && isDigit(s[i+1])
		groups = append(groups, g)
	}
	return groups
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// luhnValid runs the Luhn check over the digits of span, skipping
// separators.
func luhnValid(span string) bool {
	sum, double := 0, false
	for i := len(span) - 1; i >= 0; i-- {
		if !isDigit(span[i]) {
			continue
		}
		d := int(span[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// maskSpan writes '*' into dst over every digit of span but the first six
// and the last four.
func maskSpan(dst []byte, span string, digits int) {
	seen := 0
	for i := 0; i < len(span); i++ {
		if !isDigit(span[i]) {
			continue
		}
		if seen >= 6 && seen < digits-4 {
			dst[i] = '*'
		}
		seen++
	}
}
