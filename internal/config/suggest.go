package config

import (
	"fmt"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
)

// nameSuggestion returns the option closest to given, or "" when none is
// close enough to be what the user meant (the threshold HCL itself uses).
func nameSuggestion(given string, options []string) string {
	best, bestDist := "", 3
	for _, o := range options {
		if d := levenshtein.Distance(given, o, nil); d < bestDist {
			best, bestDist = o, d
		}
	}
	return best
}

// didYouMean returns ` Did you mean "x"?` for the closest option, or "".
func didYouMean(given string, options []string) string {
	if s := nameSuggestion(given, options); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// quotedList renders options as `"a", "b" or "c"`.
func quotedList(options []string) string {
	q := make([]string, len(options))
	for i, o := range options {
		q[i] = fmt.Sprintf("%q", o)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// structuralHints complete the details of HCL's own structural diagnostics
// with how to fix them, by summary.
var structuralHints = map[string]string{
	"Unsupported argument":            "Remove it, or correct its name.",
	"Extraneous JSON object property": "Remove it, or correct its name.",
	"Unsupported block type":          "Remove the block, or correct its type.",
	"Missing required argument":       "Add it to this block.",
}

// bodyContent is body.Content(schema) with fix hints added to HCL's
// diagnostics (unless HCL already suggested a name).
func bodyContent(body hcl.Body, schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, diags := body.Content(schema)
	for i, d := range diags {
		if hint, ok := structuralHints[d.Summary]; ok && !strings.Contains(d.Detail, "Did you mean") {
			nd := *d
			nd.Detail = strings.TrimSpace(nd.Detail + " " + hint)
			diags[i] = &nd
		}
	}
	return c, diags
}
