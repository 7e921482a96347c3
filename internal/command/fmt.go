package command

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/cli"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/payhost/payhost/internal/config"
)

func init() {
	register("fmt", func(m Meta) cli.Command { return &fmtCommand{Meta: m} })
}

type fmtCommand struct {
	Meta
}

// fmtCheckFailed is the exit code of fmt -check when a file is not
// formatted, as terraform fmt -check.
const fmtCheckFailed = 3

func (c *fmtCommand) Synopsis() string { return "Rewrite configuration files in the canonical format" }

func (c *fmtCommand) Help() string {
	return strings.TrimSpace(`
Usage: payhost fmt [-check] [PATH...]

  Rewrites the configuration files at each PATH (a .hcl file, or a
  directory, whose .hcl files are formatted) in the canonical format:
  indentation, aligned equals signs, spacing. It prints the name of each
  file it changes. With no PATH, the current directory; with "-", it
  formats standard input to standard output.

  Files that do not parse are left alone and their errors are printed.
  Files in the JSON syntax (.hcl.json) are not formatted.

Options:

  -check   Change nothing: list the files that are not formatted, and exit
           3 when there is one (0 when all are formatted).
`) + "\n"
}

func (c *fmtCommand) Run(args []string) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	check := fs.Bool("check", false, "list unformatted files and exit 3 when there is one")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if len(paths) == 1 && paths[0] == "-" {
		return c.formatStdin(*check)
	}
	var files []string
	for _, p := range paths {
		found, err := hclFiles(p)
		if err != nil {
			fmt.Fprintf(c.Stderr, "Error: %s\n", err)
			return 1
		}
		files = append(files, found...)
	}
	code := 0
	for _, name := range files {
		changed, ok := c.formatFile(name, *check)
		switch {
		case !ok:
			code = 1
		case changed && *check && code == 0:
			code = fmtCheckFailed
		}
		if changed {
			fmt.Fprintln(c.Stdout, name)
		}
	}
	return code
}

// hclFiles lists the native-syntax files at path: path itself, or the
// .hcl files of a directory that the configuration would read.
func hclFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", path, errors.Unwrap(err))
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() && strings.HasSuffix(name, ".hcl") && !strings.HasPrefix(name, ".") {
			files = append(files, filepath.Join(path, name))
		}
	}
	return files, nil
}

// format returns src in the canonical format, or prints its syntax errors
// and reports false.
func (c *fmtCommand) format(name string, src []byte) ([]byte, bool) {
	if cfg, diags := config.ParseFile(name, src); diags.HasErrors() {
		_ = cfg.WriteDiagnostics(c.Stderr, diags, diagnosticsWidth)
		return nil, false
	}
	return hclwrite.Format(src), true
}

// formatFile formats one file in place (or only checks it) and reports
// whether it was not formatted, and false when it could not be handled.
func (c *fmtCommand) formatFile(name string, check bool) (changed, ok bool) {
	src, err := os.ReadFile(name)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot read %s: %s\n", name, errors.Unwrap(err))
		return false, false
	}
	out, ok := c.format(name, src)
	if !ok || bytes.Equal(out, src) {
		return false, ok
	}
	if !check {
		st, err := os.Stat(name)
		if err == nil {
			err = os.WriteFile(name, out, st.Mode().Perm())
		}
		if err != nil {
			fmt.Fprintf(c.Stderr, "Error: cannot write %s: %s\n", name, err)
			return false, false
		}
	}
	return true, true
}

// fmtInput is where fmt - reads; tests replace it.
var fmtInput io.Reader = os.Stdin

// formatStdin formats standard input to standard output or, with check,
// only reports by its exit code whether it is formatted.
func (c *fmtCommand) formatStdin(check bool) int {
	src, err := io.ReadAll(fmtInput)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot read standard input: %s\n", err)
		return 1
	}
	out, ok := c.format("<stdin>", src)
	switch {
	case !ok:
		return 1
	case check && !bytes.Equal(out, src):
		return fmtCheckFailed
	case check:
		return 0
	}
	if _, err := c.Stdout.Write(out); err != nil {
		return 1
	}
	return 0
}
