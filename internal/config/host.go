package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Defaults of the payhost block.
const (
	DefaultListen    = "127.0.0.1:8080"
	DefaultLogLevel  = "info"
	DefaultLogFormat = "text"
)

// LogLevels are the accepted values of log_level, most verbose first.
var LogLevels = []string{"trace", "debug", "info", "warn", "error"}

// LogFormats are the accepted values of log_format.
var LogFormats = []string{"text", "json"}

// Host is the payhost block: how the host listens and logs.
type Host struct {
	// Listen is the HTTP listen address, host:port.
	Listen string
	// PublicURL is the base URL gateways reach the host at (callback URLs
	// are built from it), without a trailing slash. It defaults to
	// http://<listen>, with 127.0.0.1 for an unspecified host.
	PublicURL string
	// PluginDir is where plugins are looked for first, resolved against
	// Config.Dir; "" when not set.
	PluginDir string
	// LogLevel is one of LogLevels; LogFormat one of LogFormats.
	LogLevel  string
	LogFormat string
	// DeclRange is the block's header; zero when the configuration has no
	// payhost block.
	DeclRange hcl.Range
}

var hostSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "listen"},
		{Name: "public_url"},
		{Name: "plugin_dir"},
		{Name: "log_level"},
		{Name: "log_format"},
	},
}

// defaultHost is the Host of a configuration without a payhost block.
func defaultHost() *Host {
	return &Host{
		Listen:    DefaultListen,
		PublicURL: defaultPublicURL(DefaultListen),
		LogLevel:  DefaultLogLevel,
		LogFormat: DefaultLogFormat,
	}
}

func decodeHostBlock(block *hcl.Block, ctx *hcl.EvalContext) (*Host, hcl.Diagnostics) {
	h := defaultHost()
	h.DeclRange = block.DefRange
	content, diags := bodyContent(block.Body, hostSchema)
	diags = append(diags, decodeStringAttr(content, "listen", ctx, &h.Listen, checkListen)...)
	h.PublicURL = defaultPublicURL(h.Listen)
	diags = append(diags, decodeStringAttr(content, "public_url", ctx, &h.PublicURL, checkPublicURL)...)
	h.PublicURL = strings.TrimSuffix(h.PublicURL, "/")
	diags = append(diags, decodeStringAttr(content, "plugin_dir", ctx, &h.PluginDir, nil)...)
	diags = append(diags, decodeStringAttr(content, "log_level", ctx, &h.LogLevel, oneOfCheck("log level", LogLevels))...)
	diags = append(diags, decodeStringAttr(content, "log_format", ctx, &h.LogFormat, oneOfCheck("log format", LogFormats))...)
	return h, diags
}

// decodeStringAttr evaluates the named attribute when it is set and, when
// check (if any) accepts it, stores it in dst. check returns a summary and
// a detail for a bad value.
func decodeStringAttr(content *hcl.BodyContent, name string, ctx *hcl.EvalContext, dst *string, check func(string) (string, string)) hcl.Diagnostics {
	attr, ok := content.Attributes[name]
	if !ok {
		return nil
	}
	s, diags := evalString(attr, ctx)
	if diags.HasErrors() {
		return diags
	}
	if check != nil {
		if summary, detail := check(s); summary != "" {
			return diags.Append(&hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  summary,
				Detail:   detail,
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
	}
	*dst = s
	return diags
}

// oneOfCheck returns a check that accepts only the given values.
func oneOfCheck(what string, values []string) func(string) (string, string) {
	return func(s string) (string, string) {
		if slices.Contains(values, s) {
			return "", ""
		}
		return "Invalid " + what, fmt.Sprintf("%q is not a %s.%s Use %s.", s, what, didYouMean(s, values), quotedList(values))
	}
}

func checkListen(s string) (string, string) {
	host, port, err := net.SplitHostPort(s)
	if err == nil {
		if n, perr := strconv.Atoi(port); perr != nil || n < 0 || n > 65535 {
			err = fmt.Errorf("port %q is not a number from 0 to 65535", port)
		} else if strings.ContainsAny(host, " /") {
			err = fmt.Errorf("host %q is not a host name or IP address", host)
		}
	}
	if err != nil {
		return "Invalid listen address", fmt.Sprintf("%q is not an address to listen on (%s). Write host:port, such as %q, or %q for every interface.", s, err, DefaultListen, ":8080")
	}
	return "", ""
}

func checkPublicURL(s string) (string, string) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
	case u.Scheme != "http" && u.Scheme != "https":
		err = fmt.Errorf("the scheme must be http or https")
	case u.Host == "":
		err = fmt.Errorf("it has no host")
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		err = fmt.Errorf("it must not have user information, a query or a fragment")
	}
	if err != nil {
		return "Invalid public URL", fmt.Sprintf("%q cannot be the base of callback URLs: %s. Write the absolute URL gateways reach this host at, such as %q.", s, err, "https://pay.example.com")
	}
	return "", ""
}

// defaultPublicURL is http://<listen>, with 127.0.0.1 for an empty or
// unspecified listen host.
func defaultPublicURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
