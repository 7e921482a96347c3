package config

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Masking keeps secrets out of diagnostic snippets. HCL prints the source
// lines of a diagnostic's subject, so a credential written literally in a
// file would be shown; the printer therefore reads masked copies of the
// files, in which the literal parts of sensitive values are overwritten
// byte for byte with '*' (so every range stays valid). A value is masked
// when
//
//   - its expression is known to be sensitive: merchant API keys, webhook
//     secrets, the postgres DSN and provider attributes the plugin marks
//     Sensitive (Config.sensitiveRanges); and
//   - its attribute's name looks like a credential (sensitiveName), found
//     lexically, which also covers misspelled attributes, provider blocks
//     whose schema is not known, and files that do not parse.
//
// Quoted strings, heredocs, numbers and bare words are masked; operators,
// brackets, function names and the arguments of env() and file() (which
// name where a secret comes from, not the secret) stay readable, as do
// comments. In the JSON syntax the whole string is masked.

// sensitiveWords are the name fragments of credential attributes.
var sensitiveWords = []string{"key", "secret", "password", "passwd", "token", "dsn", "credential", "private"}

// sensitiveName reports whether an attribute's name looks like a
// credential's.
func sensitiveName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range sensitiveWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// span is a half-open byte range of a source.
type span struct{ start, end int }

func (s span) contains(start, end int) bool { return start >= s.start && end <= s.end }

// maskSource returns a copy of src with sensitive values masked; ranges are
// the expressions known to be sensitive (only those in this file are
// used).
func maskSource(filename string, src []byte, ranges []hcl.Range) []byte {
	var known []span
	for _, r := range ranges {
		if r.Filename == filename {
			known = append(known, span{r.Start.Byte, r.End.Byte})
		}
	}
	out := bytes.Clone(src)
	if strings.HasSuffix(filename, ".json") {
		maskJSON(out, known)
	} else {
		maskNative(out, filename, known)
	}
	return out
}

// maskNative masks src (a copy) in place using HCL's lexer, which also
// works on files that do not parse.
func maskNative(src []byte, filename string, known []span) {
	toks, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	spans := append(known, nativeSensitiveSpans(toks)...)
	// safe is a stack of open parentheses, true inside env( or file(.
	var safe []bool
	inSafe := func() bool { return len(safe) > 0 && safe[len(safe)-1] }
	for i, tok := range toks {
		switch tok.Type {
		case hclsyntax.TokenOParen:
			call := i > 0 && toks[i-1].Type == hclsyntax.TokenIdent &&
				(string(toks[i-1].Bytes) == "env" || string(toks[i-1].Bytes) == "file")
			safe = append(safe, call || inSafe())
			continue
		case hclsyntax.TokenCParen:
			if len(safe) > 0 {
				safe = safe[:len(safe)-1]
			}
			continue
		case hclsyntax.TokenIdent:
			next := i+1 < len(toks) && toks[i+1].Type == hclsyntax.TokenOParen
			if word := string(tok.Bytes); next || word == "true" || word == "false" || word == "null" {
				continue
			}
		case hclsyntax.TokenQuotedLit, hclsyntax.TokenStringLit, hclsyntax.TokenNumberLit,
			hclsyntax.TokenInvalid, hclsyntax.TokenBadUTF8:
		default:
			continue
		}
		start, end := tok.Range.Start.Byte, tok.Range.End.Byte
		if inSafe() || !inAnySpan(spans, start, end) {
			continue
		}
		maskBytes(src[start:end])
	}
}

// nativeSensitiveSpans finds the values of attributes whose names look
// like credentials: from the token after "name =" to the end of the
// expression (a newline, comma or closing bracket at its own depth).
func nativeSensitiveSpans(toks hclsyntax.Tokens) []span {
	var spans []span
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Type != hclsyntax.TokenIdent || !sensitiveName(string(toks[i].Bytes)) {
			continue
		}
		if t := toks[i+1].Type; t != hclsyntax.TokenEqual && t != hclsyntax.TokenColon {
			continue
		}
		start := toks[i+1].Range.End.Byte
		end, depth := start, 0
	scan:
		for _, tok := range toks[i+2:] {
			switch tok.Type {
			case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenOBrace,
				hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenOHeredoc:
				depth++
			case hclsyntax.TokenCParen, hclsyntax.TokenCBrack, hclsyntax.TokenCBrace,
				hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCHeredoc:
				if depth--; depth < 0 {
					break scan
				}
			case hclsyntax.TokenNewline, hclsyntax.TokenQuotedNewline, hclsyntax.TokenComment, hclsyntax.TokenComma, hclsyntax.TokenEOF:
				if depth == 0 {
					break scan
				}
			}
			end = tok.Range.End.Byte
		}
		spans = append(spans, span{start, end})
	}
	return spans
}

// jsonToken is a token of a JSON source: a string (with its quotes), one
// of {}[]:, or a run of other characters (a number or a word).
type jsonToken struct {
	kind       byte // '"' for strings, 'w' for words, or the punctuation
	start, end int
}

// lexJSON splits src into jsonTokens, tolerating malformed input.
func lexJSON(src []byte) []jsonToken {
	var toks []jsonToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("{}[]:,", c) >= 0:
			toks = append(toks, jsonToken{c, i, i + 1})
			i++
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			toks = append(toks, jsonToken{'"', i, j})
			i = j
		default:
			j := i
			for j < len(src) && strings.IndexByte("{}[]:,\" \t\n\r", src[j]) < 0 {
				j++
			}
			toks = append(toks, jsonToken{'w', i, j})
			i = j
		}
	}
	return toks
}

// maskJSON masks src (a copy) in place: strings and words inside known
// spans and in the values of properties whose names look like credentials.
func maskJSON(src []byte, known []span) {
	toks := lexJSON(src)
	spans := known
	for i := 0; i+2 < len(toks); i++ {
		t := toks[i]
		if t.kind != '"' || toks[i+1].kind != ':' || !sensitiveName(string(src[t.start:t.end])) {
			continue
		}
		end, depth := toks[i+2].end, 0
		for _, v := range toks[i+2:] {
			switch v.kind {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			end = v.end
			if depth <= 0 {
				break
			}
		}
		spans = append(spans, span{toks[i+2].start, end})
	}
	for _, t := range toks {
		if (t.kind == '"' || t.kind == 'w') && inAnySpan(spans, t.start, t.end) {
			start, end := t.start, t.end
			if t.kind == '"' {
				start++ // keep the quotes, including a closing one
				if end-start > 0 && src[end-1] == '"' {
					end--
				}
			}
			maskBytes(src[start:end])
		}
	}
}

func inAnySpan(spans []span, start, end int) bool {
	for _, s := range spans {
		if s.contains(start, end) {
			return true
		}
	}
	return false
}

// maskBytes overwrites b with '*', keeping line breaks so that line
// numbers stay right.
func maskBytes(b []byte) {
	for i, c := range b {
		if c != '\n' && c != '\r' {
			b[i] = '*'
		}
	}
}
