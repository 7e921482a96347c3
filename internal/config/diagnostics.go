package config

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/mitchellh/go-wordwrap"
)

// AddSource makes the source of filename, a file that is not part of the
// configuration (the lock file), known to WriteDiagnostics and
// Validation, so that its diagnostics show their lines as the
// configuration's do.
func (c *Config) AddSource(filename string, src []byte) {
	f, _ := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f == nil {
		f = &hcl.File{Bytes: src}
	}
	if c.files == nil {
		c.files = map[string]*hcl.File{}
	}
	c.files[filename] = f
}

// WriteDiagnostics prints diags as Terraform does: errors before warnings,
// each in source order, with the severity and a summary, where
// (file:line:col and the enclosing blocks), the source lines with the
// subject underlined, and the detail wrapped at width columns (0 for no
// wrapping). Sensitive values are masked in the source lines, and any
// fragment of them a parser quoted in a detail is hidden too.
func (c *Config) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, width int) error {
	sources := c.maskedSources()
	bw := bufio.NewWriter(w)
	for _, d := range sortedDiagnostics(diags) {
		writeDiagnostic(bw, d, sources, width)
	}
	return bw.Flush()
}

// sortedDiagnostics returns diags with errors first, then by file and
// position; diagnostics without a subject come first in their severity.
func sortedDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	out := slices.Clone(diags)
	slices.SortStableFunc(out, func(a, b *hcl.Diagnostic) int {
		if a.Severity != b.Severity {
			return cmp.Compare(a.Severity, b.Severity) // DiagError < DiagWarning
		}
		var ra, rb hcl.Range
		if a.Subject != nil {
			ra = *a.Subject
		}
		if b.Subject != nil {
			rb = *b.Subject
		}
		return cmp.Or(cmp.Compare(ra.Filename, rb.Filename), cmp.Compare(ra.Start.Byte, rb.Start.Byte))
	})
	return out
}

// maskedSource is a parsed file with its masked bytes and the original
// text of every masked run.
type maskedSource struct {
	file   *hcl.File
	masked []byte
	hidden []maskedRun
}

// maskedRun is a run of masked bytes and the text it hid.
type maskedRun struct {
	span
	text string
}

func (c *Config) maskedSources() map[string]*maskedSource {
	ranges := c.sensitiveRanges()
	out := make(map[string]*maskedSource, len(c.files))
	for name, f := range c.files {
		m := &maskedSource{file: f, masked: maskSource(name, f.Bytes, ranges)}
		for i := 0; i < len(f.Bytes); i++ {
			if m.masked[i] == f.Bytes[i] {
				continue
			}
			j := i
			for j < len(f.Bytes) && m.masked[j] != f.Bytes[j] {
				j++
			}
			m.hidden = append(m.hidden, maskedRun{span{i, j}, string(f.Bytes[i:j])})
			i = j
		}
		out[name] = m
	}
	return out
}

// sensitiveRanges are the expressions known to hold credentials.
func (c *Config) sensitiveRanges() []hcl.Range {
	var out []hcl.Range
	if c.Store != nil && c.Store.DSNRange != (hcl.Range{}) {
		out = append(out, c.Store.DSNRange)
	}
	for _, m := range c.Merchants {
		for _, k := range m.APIKeys {
			out = append(out, k.Range)
		}
		if m.Webhook != nil && m.Webhook.SecretRange != (hcl.Range{}) {
			out = append(out, m.Webhook.SecretRange)
		}
	}
	for _, p := range c.Providers {
		if p.Info == nil {
			continue
		}
		for _, a := range p.Info.Schema.Attributes {
			if rng, ok := p.AttrRanges[a.Name]; ok && a.Sensitive {
				out = append(out, rng)
			}
		}
	}
	return out
}

func writeDiagnostic(w *bufio.Writer, d *hcl.Diagnostic, sources map[string]*maskedSource, width int) {
	severity := "Error"
	if d.Severity == hcl.DiagWarning {
		severity = "Warning"
	}
	fmt.Fprintf(w, "%s: %s\n\n", severity, d.Summary)
	detail := d.Detail
	if d.Subject != nil {
		src := sources[d.Subject.Filename]
		fmt.Fprintf(w, "  on %s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		if src == nil {
			w.WriteString(":\n  (source code not available)\n\n")
		} else {
			if blocks := src.file.BlocksAtPos(d.Subject.Start); len(blocks) > 0 {
				w.WriteString(", in " + describeBlocks(blocks))
			}
			w.WriteString(":\n")
			writeSnippet(w, src.masked, *d.Subject)
			w.WriteString("\n")
			detail = src.redact(detail, *d.Subject)
		}
	}
	if detail != "" {
		if width > 0 {
			detail = wordwrap.WrapString(detail, uint(width))
		}
		fmt.Fprintf(w, "%s\n\n", detail)
	}
}

// describeBlocks renders nested blocks as `merchant "acme", route "cards"`.
func describeBlocks(blocks []*hcl.Block) string {
	parts := make([]string, len(blocks))
	for i, b := range blocks {
		parts[i] = b.Type
		for _, l := range b.Labels {
			parts[i] += fmt.Sprintf(" %q", l)
		}
	}
	return strings.Join(parts, ", ")
}

// maxSnippetLines bounds the source lines printed for one diagnostic.
const maxSnippetLines = 5

// sourceLine is one line of a file and where it is.
type sourceLine struct {
	rng  hcl.Range
	text []byte
}

// snippetLines returns the lines of src that rng covers, at most
// maxSnippetLines.
func snippetLines(src []byte, rng hcl.Range) []sourceLine {
	var out []sourceLine
	sc := hcl.NewRangeScanner(src, rng.Filename, bufio.ScanLines)
	for sc.Scan() && len(out) < maxSnippetLines {
		line := sc.Range()
		if line.End.Byte < rng.Start.Byte || (line.Start.Byte > rng.End.Byte) || (line.Start.Byte == rng.End.Byte && !rng.Empty()) {
			continue
		}
		out = append(out, sourceLine{line, sc.Bytes()})
	}
	return out
}

// writeSnippet prints the lines of src that rng covers, numbered, and
// underlines rng on its first line.
func writeSnippet(w *bufio.Writer, src []byte, rng hcl.Range) {
	for i, line := range snippetLines(src, rng) {
		fmt.Fprintf(w, "%4d: %s\n", line.rng.Start.Line, line.text)
		if i == 0 {
			from := min(max(rng.Start.Byte-line.rng.Start.Byte, 0), len(line.text))
			to := min(rng.End.Byte-line.rng.Start.Byte, len(line.text))
			w.WriteString("      " + underline(line.text, from, to) + "\n")
		}
	}
}

// underline returns a line that puts '^' under text[from:to] (at least one),
// keeping tabs so that it lines up.
func underline(text []byte, from, to int) string {
	var b strings.Builder
	for _, r := range string(text[:from]) {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	n := max(len([]rune(string(text[from:to]))), 1)
	b.WriteString(strings.Repeat("^", n))
	return b.String()
}

// quoted matches a double-quoted fragment of a detail.
var quoted = regexp.MustCompile(`"[^"]*"`)

// redact hides the quoted fragments of detail that come from a masked value
// on the subject's lines (a parser may quote a bad character of a secret),
// unless the fragment is a word still visible on those lines (such as the
// attribute's name).
func (s *maskedSource) redact(detail string, subject hcl.Range) string {
	lineStart := bytes.LastIndexByte(s.file.Bytes[:min(subject.Start.Byte, len(s.file.Bytes))], '\n') + 1
	lineEnd := subject.End.Byte
	if i := bytes.IndexByte(s.file.Bytes[min(lineEnd, len(s.file.Bytes)):], '\n'); i >= 0 {
		lineEnd += i
	}
	var texts []string
	for _, h := range s.hidden {
		if h.end > lineStart && h.start < lineEnd {
			texts = append(texts, h.text)
		}
	}
	if len(texts) == 0 {
		return detail
	}
	visible := string(s.masked[lineStart:min(lineEnd, len(s.masked))])
	return quoted.ReplaceAllStringFunc(detail, func(q string) string {
		inner := q[1 : len(q)-1]
		if inner == "" || !slices.ContainsFunc(texts, func(t string) bool { return strings.Contains(t, inner) }) {
			return q
		}
		word := regexp.MustCompile(`(^|[^\w-])` + regexp.QuoteMeta(inner) + `($|[^\w-])`)
		if word.MatchString(visible) {
			return q
		}
		return `"***"`
	})
}
