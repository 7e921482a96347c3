package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// stdlibFunctions are the HCL standard-library functions available
// everywhere, with Terraform's names. when expressions get exactly these;
// the rest of the configuration also gets env and file.
var stdlibFunctions = map[string]function.Function{
	"abs":             stdlib.AbsoluteFunc,
	"can":             tryfunc.CanFunc,
	"ceil":            stdlib.CeilFunc,
	"chomp":           stdlib.ChompFunc,
	"chunklist":       stdlib.ChunklistFunc,
	"coalesce":        stdlib.CoalesceFunc,
	"coalescelist":    stdlib.CoalesceListFunc,
	"compact":         stdlib.CompactFunc,
	"concat":          stdlib.ConcatFunc,
	"contains":        stdlib.ContainsFunc,
	"csvdecode":       stdlib.CSVDecodeFunc,
	"distinct":        stdlib.DistinctFunc,
	"element":         stdlib.ElementFunc,
	"endswith":        endsWithFunc,
	"flatten":         stdlib.FlattenFunc,
	"floor":           stdlib.FloorFunc,
	"format":          stdlib.FormatFunc,
	"formatdate":      stdlib.FormatDateFunc,
	"formatlist":      stdlib.FormatListFunc,
	"indent":          stdlib.IndentFunc,
	"join":            stdlib.JoinFunc,
	"jsondecode":      stdlib.JSONDecodeFunc,
	"jsonencode":      stdlib.JSONEncodeFunc,
	"keys":            stdlib.KeysFunc,
	"length":          stdlib.LengthFunc,
	"log":             stdlib.LogFunc,
	"lookup":          stdlib.LookupFunc,
	"lower":           stdlib.LowerFunc,
	"max":             stdlib.MaxFunc,
	"merge":           stdlib.MergeFunc,
	"min":             stdlib.MinFunc,
	"parseint":        stdlib.ParseIntFunc,
	"pow":             stdlib.PowFunc,
	"range":           stdlib.RangeFunc,
	"regex":           stdlib.RegexFunc,
	"regexall":        stdlib.RegexAllFunc,
	"regex_replace":   stdlib.RegexReplaceFunc,
	"replace":         stdlib.ReplaceFunc,
	"reverse":         stdlib.ReverseListFunc,
	"setintersection": stdlib.SetIntersectionFunc,
	"setproduct":      stdlib.SetProductFunc,
	"setsubtract":     stdlib.SetSubtractFunc,
	"setunion":        stdlib.SetUnionFunc,
	"signum":          stdlib.SignumFunc,
	"slice":           stdlib.SliceFunc,
	"sort":            stdlib.SortFunc,
	"split":           stdlib.SplitFunc,
	"startswith":      startsWithFunc,
	"strlen":          stdlib.StrlenFunc,
	"strrev":          stdlib.ReverseFunc,
	"substr":          stdlib.SubstrFunc,
	"timeadd":         stdlib.TimeAddFunc,
	"title":           stdlib.TitleFunc,
	"tobool":          stdlib.MakeToFunc(cty.Bool),
	"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"tonumber":        stdlib.MakeToFunc(cty.Number),
	"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
	"tostring":        stdlib.MakeToFunc(cty.String),
	"trim":            stdlib.TrimFunc,
	"trimprefix":      stdlib.TrimPrefixFunc,
	"trimspace":       stdlib.TrimSpaceFunc,
	"trimsuffix":      stdlib.TrimSuffixFunc,
	"try":             tryfunc.TryFunc,
	"upper":           stdlib.UpperFunc,
	"values":          stdlib.ValuesFunc,
	"zipmap":          stdlib.ZipmapFunc,
}

// startsWithFunc and endsWithFunc are Terraform's startswith and endswith,
// which cty's stdlib lacks.
var (
	startsWithFunc = stringPredicateFunc(strings.HasPrefix)
	endsWithFunc   = stringPredicateFunc(strings.HasSuffix)
)

func stringPredicateFunc(pred func(s, affix string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: "affix", Type: cty.String},
		},
		Type:         function.StaticReturnType(cty.Bool),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(pred(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// functions returns the functions of the configuration outside when: the
// standard library, env (reading lookupEnv) and file (reading paths
// relative to dir).
func functions(dir string, lookupEnv func(string) (string, bool)) map[string]function.Function {
	fns := maps.Clone(stdlibFunctions)
	fns["env"] = envFunc(lookupEnv)
	fns["file"] = fileFunc(dir)
	return fns
}

// missingEnvError is env's error for a variable that is not set; it is
// turned into its own diagnostic by rewriteCallDiags.
type missingEnvError struct{ name string }

func (e missingEnvError) Error() string {
	return fmt.Sprintf("environment variable %q is not set", e.name)
}

// envFunc is env(name): the value of an environment variable. A variable
// that is not set is an error, never an empty string.
func envFunc(lookupEnv func(string) (string, bool)) function.Function {
	return function.New(&function.Spec{
		Params:       []function.Parameter{{Name: "name", Type: cty.String}},
		Type:         function.StaticReturnType(cty.String),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder { return b.NotNull() },
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			if name == "" || strings.ContainsAny(name, "=\x00") {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "%q is not an environment variable name", name)
			}
			v, ok := lookupEnv(name)
			if !ok {
				return cty.UnknownVal(cty.String), missingEnvError{name: name}
			}
			return cty.StringVal(v), nil
		},
	})
}

// fileFunc is file(path): the contents of a regular UTF-8 text file, with
// a relative path read from dir (the configuration's directory). Errors
// never quote the contents.
func fileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			st, err := os.Stat(p)
			switch {
			case errors.Is(err, os.ErrNotExist):
				return cty.UnknownVal(cty.String), fmt.Errorf("no file exists at %s", p)
			case err == nil && !st.Mode().IsRegular():
				return cty.UnknownVal(cty.String), fmt.Errorf("%s is not a regular file", p)
			}
			b, err := os.ReadFile(p)
			switch {
			case err != nil:
				return cty.UnknownVal(cty.String), fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))
			case !utf8.Valid(b):
				return cty.UnknownVal(cty.String), fmt.Errorf("%s is not valid UTF-8 text", p)
			}
			return cty.StringVal(string(b)), nil
		},
	})
}

// rewriteCallDiags points function-call errors at the whole call and gives
// a missing environment variable its own diagnostic.
func rewriteCallDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	for i, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok || extra.FunctionCallError() == nil {
			continue
		}
		nd := *d
		if d.Context != nil {
			nd.Subject = d.Context
		}
		var missing missingEnvError
		if errors.As(extra.FunctionCallError(), &missing) {
			nd.Summary = "Missing environment variable"
			nd.Detail = fmt.Sprintf("The environment variable %q is not set. Set it in the environment payhost runs in; payhost never replaces a missing variable with an empty value.", missing.name)
		}
		diags[i] = &nd
	}
	return diags
}

// scrubValues drops the expression and evaluation context from diagnostics
// about a sensitive value, so that no printer lists the values involved.
func scrubValues(diags hcl.Diagnostics) hcl.Diagnostics {
	for i, d := range diags {
		if d.Expression != nil || d.EvalContext != nil {
			nd := *d
			nd.Expression, nd.EvalContext = nil, nil
			diags[i] = &nd
		}
	}
	return diags
}
