package pluginhost

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/gocty"
)

// LockFileName is the name of the lock file, kept beside the configuration.
const LockFileName = "payhost.lock.hcl"

// lockFileHeader opens every lock file payhost writes.
const lockFileHeader = "# This file is maintained automatically by \"payhost init\".\n" +
	"# Manual edits may be lost in future updates.\n"

var lockFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"type"}}},
}

var lockedProviderSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "version", Required: true},
		{Name: "protocol", Required: true},
		{Name: "sha256", Required: true},
	},
}

// LockedProvider is one provider block of the lock file: the plugin binary
// `payhost init` found for a provider type.
type LockedProvider struct {
	Type     string
	Version  string
	Protocol int
	// SHA256 is the binary's checksum.
	SHA256 []byte
}

// LockFile is the content of payhost.lock.hcl: the version, protocol and
// checksum of every plugin binary payhost may launch. The zero value is an
// empty lock file.
type LockFile struct {
	providers map[string]LockedProvider
}

// LockFilePath returns where the lock file of a configuration lives: in the
// configuration directory, or beside the configuration file.
func LockFilePath(configPath string) string {
	if fi, err := os.Stat(configPath); err == nil && !fi.IsDir() {
		return filepath.Join(filepath.Dir(configPath), LockFileName)
	}
	return filepath.Join(configPath, LockFileName)
}

// ReadLockFile reads and checks the lock file at path. A missing file reads
// as an empty lock file.
func ReadLockFile(path string) (*LockFile, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &LockFile{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the lock file: %w", err)
	}
	l, diags := ParseLockFile(src, path)
	if diags.HasErrors() {
		return nil, diags
	}
	return l, nil
}

// ParseLockFile parses lock file source; filename is used in diagnostics.
func ParseLockFile(src []byte, filename string) (*LockFile, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	content, moreDiags := f.Body.Content(lockFileSchema)
	diags = append(diags, moreDiags...)
	l := &LockFile{}
	first := map[string]*hcl.Range{}
	for _, block := range content.Blocks {
		typ := block.Labels[0]
		if r, dup := first[typ]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate provider lock",
				Detail:   fmt.Sprintf("Provider %q was already locked at %s. Run \"payhost init\" to rewrite the lock file.", typ, r),
				Subject:  block.LabelRanges[0].Ptr(),
			})
			continue
		}
		first[typ] = block.DefRange.Ptr()
		p, blockDiags := decodeLockedProvider(typ, block.Body)
		diags = append(diags, blockDiags...)
		if !blockDiags.HasErrors() {
			l.Set(p)
		}
	}
	return l, diags
}

func decodeLockedProvider(typ string, body hcl.Body) (LockedProvider, hcl.Diagnostics) {
	p := LockedProvider{Type: typ}
	content, diags := body.Content(lockedProviderSchema)
	if diags.HasErrors() {
		return p, diags
	}
	var sum string
	for _, a := range []struct {
		name   string
		target any
	}{{"version", &p.Version}, {"protocol", &p.Protocol}, {"sha256", &sum}} {
		name, target, attr := a.name, a.target, content.Attributes[a.name]
		v, valDiags := attr.Expr.Value(nil)
		diags = append(diags, valDiags...)
		if valDiags.HasErrors() {
			continue
		}
		if err := gocty.FromCtyValue(v, target); err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid lock file value",
				Detail:   fmt.Sprintf("The %s of provider %q is invalid: %s. Run \"payhost init\" to rewrite the lock file.", name, typ, err),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return p, diags
	}
	b, err := hex.DecodeString(sum)
	if err != nil || len(b) != 32 {
		return p, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid checksum",
			Detail:   fmt.Sprintf("The sha256 of provider %q must be 64 hexadecimal digits. Run \"payhost init\" to rewrite the lock file.", typ),
			Subject:  content.Attributes["sha256"].Expr.Range().Ptr(),
		}}
	}
	p.SHA256 = b
	return p, nil
}

// Provider returns the lock of a provider type.
func (l *LockFile) Provider(typ string) (LockedProvider, bool) {
	p, ok := l.providers[typ]
	return p, ok
}

// Providers returns every lock, sorted by type.
func (l *LockFile) Providers() []LockedProvider {
	out := make([]LockedProvider, 0, len(l.providers))
	for _, p := range l.providers {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// Set adds or replaces the lock of p.Type.
func (l *LockFile) Set(p LockedProvider) {
	if l.providers == nil {
		l.providers = map[string]LockedProvider{}
	}
	l.providers[p.Type] = p
}

// Pin returns p with the checksum the lock file holds for its type, so that
// launching it refuses any other binary. A type missing from the lock file
// is a *NotLockedError.
func (l *LockFile) Pin(p Plugin) (Plugin, error) {
	locked, ok := l.Provider(p.Type)
	if !ok {
		return p, &NotLockedError{Type: p.Type, Path: p.Path}
	}
	p.Checksum = locked.SHA256
	return p, nil
}

// Check reports whether the lock file allows plugin p, whose Checksum is
// its binary's: nil when the lock file holds that checksum for p.Type, a
// *NotLockedError when it has no lock for the type, a *ChecksumError when
// it locks another binary.
func (l *LockFile) Check(p Plugin) error {
	locked, ok := l.Provider(p.Type)
	switch {
	case !ok:
		return &NotLockedError{Type: p.Type, Path: p.Path}
	case !bytes.Equal(locked.SHA256, p.Checksum):
		return &ChecksumError{Path: p.Path, Want: locked.SHA256, Got: p.Checksum}
	}
	return nil
}

// NotLockedError reports a plugin whose provider type the lock file does
// not name: payhost init has not run since the type was added.
type NotLockedError struct {
	Type string
	// Path is the plugin binary found for the type.
	Path string
}

// Error names the type, the binary and the fix.
func (e *NotLockedError) Error() string {
	return fmt.Sprintf("plugin binary %s is not locked: %s has no provider %q block; run \"payhost init\" to lock it",
		e.Path, LockFileName, e.Type)
}

// Bytes renders the lock file canonically: the header comment, then one
// provider block per type sorted by type, formatted by hclwrite. Equal lock
// files render to identical bytes.
func (l *LockFile) Bytes() []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	body.AppendUnstructuredTokens(hclwrite.Tokens{
		{Type: hclsyntax.TokenComment, Bytes: []byte(lockFileHeader)},
	})
	for _, p := range l.Providers() {
		body.AppendNewline()
		b := body.AppendNewBlock("provider", []string{p.Type}).Body()
		b.SetAttributeValue("version", cty.StringVal(p.Version))
		b.SetAttributeValue("protocol", cty.NumberIntVal(int64(p.Protocol)))
		b.SetAttributeValue("sha256", cty.StringVal(hex.EncodeToString(p.SHA256)))
	}
	return hclwrite.Format(f.Bytes())
}

// WriteLockFile writes l to path unless the file already holds exactly
// l.Bytes(), and reports whether it wrote. The file is replaced atomically.
func WriteLockFile(path string, l *LockFile) (changed bool, err error) {
	want := l.Bytes()
	if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, want) {
		return false, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+LockFileName+".*")
	if err != nil {
		return false, fmt.Errorf("cannot write the lock file: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(want); err != nil {
		tmp.Close()
		return false, fmt.Errorf("cannot write the lock file: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return false, fmt.Errorf("cannot write the lock file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("cannot write the lock file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, fmt.Errorf("cannot write the lock file: %w", err)
	}
	return true, nil
}
