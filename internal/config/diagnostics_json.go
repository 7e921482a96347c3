package config

import (
	"encoding/json"
	"io"

	"github.com/hashicorp/hcl/v2"
)

// Validation is the machine-readable result of checking a configuration,
// as `payhost validate -json` prints it. Its format is that of
// `terraform validate -json` (format version 1.0), so that tools made for
// Terraform's (editors, CI annotations) read it too.
type Validation struct {
	FormatVersion string `json:"format_version"`
	// Valid is false when there is at least one error.
	Valid        bool         `json:"valid"`
	ErrorCount   int          `json:"error_count"`
	WarningCount int          `json:"warning_count"`
	Diagnostics  []Diagnostic `json:"diagnostics"`
}

// Diagnostic is one problem of a Validation.
type Diagnostic struct {
	// Severity is "error" or "warning".
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	// Range is where the problem is; nil when it is in no file.
	Range *Range `json:"range,omitempty"`
	// Snippet is the source at Range, sensitive values masked; nil when
	// the source is not available.
	Snippet *Snippet `json:"snippet,omitempty"`
}

// Range is a span of a configuration file.
type Range struct {
	Filename string `json:"filename"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// Pos is a position in a file: line and column count from 1 (the column
// in characters), byte from 0.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Snippet is the source a Diagnostic is about.
type Snippet struct {
	// Context names the blocks the range is in (`merchant "acme", route
	// "cards"`); nil at the top level.
	Context *string `json:"context"`
	// Code is the source lines the range covers (at most five), with
	// sensitive values masked.
	Code      string `json:"code"`
	StartLine int    `json:"start_line"`
	// HighlightStartOffset and HighlightEndOffset are the byte offsets
	// of the range in Code.
	HighlightStartOffset int `json:"highlight_start_offset"`
	HighlightEndOffset   int `json:"highlight_end_offset"`
	// Values is always empty: payhost does not show expression values.
	Values []struct{} `json:"values"`
}

// Validation returns diags as a Validation, in the order WriteDiagnostics
// prints them and with the same masking: the snippets show the masked
// source, and a detail hides what a parser quoted of a masked value.
func (c *Config) Validation(diags hcl.Diagnostics) *Validation {
	sources := c.maskedSources()
	v := &Validation{FormatVersion: "1.0", Diagnostics: []Diagnostic{}}
	for _, d := range sortedDiagnostics(diags) {
		out := Diagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			out.Severity = "warning"
			v.WarningCount++
		} else {
			v.ErrorCount++
		}
		if d.Subject != nil {
			rng := *d.Subject
			out.Range = &Range{Filename: rng.Filename, Start: jsonPos(rng.Start), End: jsonPos(rng.End)}
			if src := sources[rng.Filename]; src != nil {
				out.Snippet = snippet(src, rng)
				out.Detail = src.redact(d.Detail, rng)
			}
		}
		v.Diagnostics = append(v.Diagnostics, out)
	}
	v.Valid = v.ErrorCount == 0
	return v
}

// WriteValidation writes the Validation of diags to w as indented JSON.
func (c *Config) WriteValidation(w io.Writer, diags hcl.Diagnostics) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c.Validation(diags))
}

func jsonPos(p hcl.Pos) Pos { return Pos{Line: p.Line, Column: p.Column, Byte: p.Byte} }

// snippet is the masked source of src that rng covers.
func snippet(src *maskedSource, rng hcl.Range) *Snippet {
	s := &Snippet{StartLine: rng.Start.Line, Values: []struct{}{}}
	if blocks := src.file.BlocksAtPos(rng.Start); len(blocks) > 0 {
		context := describeBlocks(blocks)
		s.Context = &context
	}
	lines := snippetLines(src.masked, rng)
	if len(lines) == 0 {
		return s
	}
	var code []byte
	for i, line := range lines {
		if i > 0 {
			code = append(code, '\n')
		}
		code = append(code, line.text...)
	}
	first := lines[0].rng.Start.Byte
	s.Code, s.StartLine = string(code), lines[0].rng.Start.Line
	s.HighlightStartOffset = min(max(rng.Start.Byte-first, 0), len(code))
	s.HighlightEndOffset = min(max(rng.End.Byte-first, s.HighlightStartOffset), len(code))
	return s
}
