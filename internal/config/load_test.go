package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/config/configtest"
	"github.com/payhost/payhost/plugin"
)

// load loads a fixture that must have no errors.
func load(t *testing.T, path string) *config.Config {
	t.Helper()
	cfg, diags := configtest.Loader().Load(path)
	if diags.HasErrors() {
		var b strings.Builder
		_ = cfg.WriteDiagnostics(&b, diags, 0)
		t.Fatalf("loading %s:\n%s", path, b.String())
	}
	return cfg
}

// errorsOnly drops warnings.
func errorsOnly(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}

func TestLoadDecodesEverything(t *testing.T) {
	dir := filepath.Join("testdata", "valid", "quickstart")
	cfg := load(t, dir)

	h := cfg.Host
	if h.Listen != "127.0.0.1:8080" || h.PublicURL != "http://127.0.0.1:8080" || h.LogLevel != "debug" || h.LogFormat != "json" {
		t.Errorf("host = %+v", h)
	}
	if want := filepath.Join(dir, "bin"); h.PluginDir != want {
		t.Errorf("plugin_dir = %q, want %q (resolved against the configuration's directory)", h.PluginDir, want)
	}
	if cfg.Store.Type != config.StoreSQLite || cfg.Store.Path != filepath.Join(dir, "payhost.db") {
		t.Errorf("store = %+v", cfg.Store)
	}

	vn := cfg.Providers["appotapay.vn"]
	if vn == nil || vn.Info == nil {
		t.Fatalf("provider appotapay.vn not decoded: %+v", vn)
	}
	if got := vn.Config.Secret("api_key").Reveal(); got != configtest.Env["APPOTA_API_KEY"] {
		t.Errorf("api_key = %q", got)
	}
	if got := vn.Config.Duration("timeout").String(); got != "30s" {
		t.Errorf("timeout = %s, want the schema's default 30s", got)
	}
	if got := vn.Config.String("partner_code"); got != "APPOTAPAY" {
		t.Errorf("partner_code = %q", got)
	}
	if rng := vn.AttrRanges["endpoint"]; rng.Start.Line != 2 || !strings.HasSuffix(rng.Filename, "providers.hcl") {
		t.Errorf("endpoint range = %s", rng)
	}
	sg := cfg.Providers["reddot.sg"]
	if sg.Config.Int("max_retries") != 3 || sg.Config.Bool("test_mode") {
		t.Errorf("reddot.sg config: max_retries=%d test_mode=%v", sg.Config.Int("max_retries"), sg.Config.Bool("test_mode"))
	}
	if sg.Addr() != "reddot.sg" || sg.Type != "reddot" || sg.Name != "sg" {
		t.Errorf("address = %q", sg.Addr())
	}

	acme := cfg.Merchants["acme"]
	if len(acme.APIKeys) != 1 || acme.APIKeys[0].Key.Reveal() != configtest.Env["ACME_API_KEY"] {
		t.Errorf("api keys = %v", acme.APIKeys)
	}
	if acme.Webhook == nil || acme.Webhook.URL != "https://acme.example/payhost/events" || acme.Webhook.Secret.Reveal() != configtest.Env["ACME_WEBHOOK_SECRET"] {
		t.Errorf("webhook = %+v", acme.Webhook)
	}
	var names []string
	for _, r := range acme.Routes {
		names = append(names, r.Name)
	}
	if !slices.Equal(names, []string{"vietnam", "cards", "default"}) {
		t.Errorf("routes = %v, want declaration order", names)
	}
	cards := acme.Route("cards")
	if len(cards.Splits) != 2 || cards.Splits[0].Provider.Addr() != "reddot.sg" || cards.Splits[0].Weight != 70 || cards.Splits[1].Weight != 30 {
		t.Errorf("cards splits = %+v %+v", cards.Splits[0], cards.Splits[1])
	}
	if cards.MatchesEverything() || !acme.Route("default").MatchesEverything() {
		t.Error("only the route without when matches everything")
	}
	var targets []string
	for _, ref := range acme.Route("default").Targets() {
		targets = append(targets, ref.String())
	}
	if !slices.Equal(targets, []string{"provider.redotpay.cards", "provider.reddot.sg"}) {
		t.Errorf("default targets = %v", targets)
	}
}

// TestJSONSyntax checks that the JSON syntax decodes to the same structures.
func TestJSONSyntax(t *testing.T) {
	cfg := load(t, filepath.Join("testdata", "valid", "json"))
	if cfg.Host.Listen != ":9090" || cfg.Host.PublicURL != "http://127.0.0.1:9090" || cfg.Host.LogLevel != "warn" {
		t.Errorf("host = %+v", cfg.Host)
	}
	if cfg.Store.Type != config.StorePostgres || cfg.Store.DSN.Reveal() != configtest.Env["PAYHOST_PG_DSN"] {
		t.Errorf("store = %+v", cfg.Store)
	}
	acme := cfg.Merchants["acme"]
	if len(acme.APIKeys) != 2 || acme.APIKeys[1].Key.Reveal() != "acme_previous_key_0000000001" {
		t.Errorf("api keys = %v", acme.APIKeys)
	}
	if len(acme.Routes) != 2 || acme.Routes[0].Name != "vietnam" || acme.Routes[1].Name != "rest" {
		t.Fatalf("routes = %v", acme.Routes)
	}
	if p := acme.Routes[0].Providers; len(p) != 1 || p[0].Addr() != "appotapay.vn" {
		t.Errorf("vietnam providers = %v", p)
	}
	if cfg.Providers["appotapay.vn"].Config.String("timeout") != "10s" {
		t.Error("timeout not decoded from JSON")
	}
}

func TestDefaults(t *testing.T) {
	path := filepath.Join("testdata", "valid", "defaults.hcl")
	cfg := load(t, path)
	want := &config.Host{Listen: config.DefaultListen, PublicURL: "http://127.0.0.1:8080", LogLevel: "info", LogFormat: "text"}
	if !reflect.DeepEqual(cfg.Host, want) {
		t.Errorf("host = %+v, want %+v", cfg.Host, want)
	}
	if cfg.Store.Type != config.StoreSQLite || cfg.Store.Path != filepath.Join(filepath.Dir(path), config.DefaultSQLitePath) {
		t.Errorf("store = %+v, want the default sqlite store beside the configuration", cfg.Store)
	}
	if cfg.Dir != filepath.Dir(path) {
		t.Errorf("dir = %q", cfg.Dir)
	}
}

func TestFunctions(t *testing.T) {
	cfg := load(t, filepath.Join("testdata", "valid", "functions"))
	g := cfg.Providers["redotpay.global"].Config
	checks := map[string]any{
		"endpoint":         "https://api.redotpay.example/v2",
		"client_id":        "shop-prod",
		"signing_material": "whsec_from_file_0123456789",
	}
	for name, want := range checks {
		if got := g.Value(name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if got := g.Strings("tags"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("tags = %v", got)
	}
	if got := g.StringMap("headers"); got["X-Team"] != "PAY" {
		t.Errorf("headers = %v", got)
	}
	if got := cfg.Merchants["shop"].Webhook.Secret.Reveal(); got != "whsec_from_file_0123456789" {
		t.Errorf("webhook secret from file() = %q", got)
	}
}

// TestProvidersDecodedLater loads without schemas (as payhost init must,
// before it can start plugins) and decodes the provider blocks afterwards.
func TestProvidersDecodedLater(t *testing.T) {
	path := filepath.Join("testdata", "invalid", "provider_schema.hcl")
	cfg, diags := config.Loader{LookupEnv: configtest.LookupEnv}.Load(path)
	if diags.HasErrors() {
		t.Fatalf("without schemas, provider bodies are not decoded, yet: %v", diags)
	}
	if p := cfg.Providers["reddot.sg"]; p.Info != nil || len(p.Config.Names()) != 0 || p.Body == nil {
		t.Fatalf("provider decoded without a schema: %+v", p)
	}
	diags = cfg.DecodeProviders(configtest.Schemas())
	if n := len(errorsOnly(diags)); n != 7 {
		t.Errorf("DecodeProviders: %d errors, want the 7 of the fixture: %v", n, diags)
	}
	if cfg.Providers["reddot.sg"].Info == nil {
		t.Error("Info not set")
	}
}

func TestMissingEnvPointsAtCall(t *testing.T) {
	src := `merchant "m" {
  api_key = env("NOPE")
}`
	_, all := config.Loader{LookupEnv: configtest.LookupEnv}.LoadSources(".", map[string][]byte{"m.hcl": []byte(src)})
	diags := errorsOnly(all)
	if len(diags) != 1 || diags[0].Summary != "Missing environment variable" {
		t.Fatalf("diags = %v", diags)
	}
	rng := diags[0].Subject
	if got := string(rng.SliceBytes([]byte(src))); got != `env("NOPE")` {
		t.Errorf("subject = %q, want the whole call", got)
	}
	if !strings.Contains(diags[0].Detail, `"NOPE"`) {
		t.Errorf("detail does not name the variable: %s", diags[0].Detail)
	}
}

func TestWholeNumbersAreExact(t *testing.T) {
	tests := []struct {
		weight string
		want   int64
		err    string
	}{
		{"1", 1, ""},
		{"1e3", 1000, ""},
		{"999999.0", 999999, ""},
		{"1000000", 1000000, ""},
		{"1000001", 0, "not from 1 to 1000000"},
		{"0", 0, "not from 1 to 1000000"},
		{"-1", 0, "not from 1 to 1000000"},
		{"0.5", 0, "fractional"},
		{"1.0000000000000000000001", 0, "fractional"},
		{"9223372036854775808", 0, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.weight, func(t *testing.T) {
			src := fmt.Sprintf(`provider "redotpay" "a" {
  endpoint  = "http://a"
  client_id = "a"
}
merchant "m" {
  api_key = "m_key_0123456789abcdef"
  route "r" {
    split {
      provider = provider.redotpay.a
      weight   = %s
    }
  }
}`, tt.weight)
			cfg, diags := configtest.Loader().LoadSources(".", map[string][]byte{"m.hcl": []byte(src)})
			if tt.err == "" {
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				if got := cfg.Merchants["m"].Routes[0].Splits[0].Weight; got != tt.want {
					t.Errorf("weight = %d, want %d", got, tt.want)
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary != "Invalid split weight" || !strings.Contains(diags[0].Detail, tt.err) {
				t.Errorf("diags = %v, want Invalid split weight (%s)", diags, tt.err)
			}
		})
	}
}

func TestLoadPaths(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_, diags := config.Load(dir, nil)
	if len(diags) != 1 || diags[0].Summary != "No configuration files" {
		t.Fatalf("empty directory: %v", diags)
	}
	_, diags = config.Load(filepath.Join(dir, "missing"), nil)
	if len(diags) != 1 || diags[0].Summary != "Failed to read configuration" {
		t.Fatalf("missing path: %v", diags)
	}

	write("main.hcl", `payhost { listen = ":9000" }`)
	// Not configuration: the lock file, hidden and backup files, others.
	for _, name := range []string{config.LockFileName, ".hidden.hcl", "main.hcl~", "#main.hcl#", "notes.txt"} {
		write(name, "this is not HCL {")
	}
	cfg, diags := config.Load(dir, nil)
	if diags.HasErrors() {
		t.Fatalf("ignored files were read: %v", diags)
	}
	if cfg.Host.Listen != ":9000" {
		t.Errorf("listen = %q", cfg.Host.Listen)
	}
	// A file path loads that file alone, with its directory as Dir.
	cfg, diags = config.Load(filepath.Join(dir, "main.hcl"), nil)
	if diags.HasErrors() || cfg.Dir != dir {
		t.Errorf("file path: dir %q, diags %v", cfg.Dir, diags)
	}
}

func TestStaticSchemasSuggest(t *testing.T) {
	_, err := configtest.Schemas().ProviderInfo("redotpy")
	if err == nil || !strings.Contains(err.Error(), `Did you mean "redotpay"?`) {
		t.Errorf("err = %v", err)
	}
}

// TestPluginSchemaMustBeValid refuses a plugin whose schema is broken.
func TestPluginSchemaMustBeValid(t *testing.T) {
	bad := config.StaticSchemas{"x": {Type: "x", Schema: plugin.Schema{Attributes: []plugin.Attribute{{Name: "a", Type: "float"}}}}}
	src := `provider "x" "y" {}`
	_, diags := config.Loader{Schemas: bad}.LoadSources(".", map[string][]byte{"m.hcl": []byte(src)})
	if len(diags) != 1 || diags[0].Summary != "Provider plugin unavailable" || !strings.Contains(diags[0].Detail, "bug in the plugin") {
		t.Errorf("diags = %v", diags)
	}
}

func TestOperationFor(t *testing.T) {
	if config.OperationFor(plugin.CaptureManual) != plugin.OpAuthorize || config.OperationFor(plugin.CaptureAutomatic) != plugin.OpCreatePayment {
		t.Error("manual capture needs authorize, automatic needs create_payment")
	}
}

// TestWriteDiagnostics pins the printed form of a diagnostic.
func TestWriteDiagnostics(t *testing.T) {
	src := "merchant \"m\" {\n\tapi_key = \"m_key_0123456789abcdef\"\n\troute \"r\" {\n\t\tprovidres = []\n\t}\n}\n"
	cfg, diags := configtest.Loader().LoadSources(".", map[string][]byte{"m.hcl": []byte(src)})
	var b strings.Builder
	if err := cfg.WriteDiagnostics(&b, diags[:1], 0); err != nil {
		t.Fatal(err)
	}
	want := "Error: Unsupported argument\n\n" +
		"  on m.hcl:4:3, in merchant \"m\", route \"r\":\n" +
		"   4: \t\tprovidres = []\n" +
		"      \t\t^^^^^^^^^\n\n" +
		"An argument named \"providres\" is not expected here. Did you mean \"providers\"?\n\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestDiagnosticsWithoutSource prints a diagnostic about a file the
// configuration did not read.
func TestDiagnosticsWithoutSource(t *testing.T) {
	cfg, _ := config.Loader{}.LoadSources(".", nil)
	d := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "S", Detail: "D", Subject: &hcl.Range{Filename: "gone.hcl", Start: hcl.Pos{Line: 3, Column: 2}}}
	var b strings.Builder
	if err := cfg.WriteDiagnostics(&b, hcl.Diagnostics{d}, 0); err != nil {
		t.Fatal(err)
	}
	if want := "Warning: S\n\n  on gone.hcl:3:2:\n  (source code not available)\n\nD\n\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestDiagnosticsOrder prints errors before warnings, each in source order.
func TestDiagnosticsOrder(t *testing.T) {
	cfg, _ := config.Loader{}.LoadSources(".", nil)
	at := func(sev hcl.DiagnosticSeverity, summary, file string, line int) *hcl.Diagnostic {
		return &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: "d", Subject: &hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Byte: line * 10}}}
	}
	diags := hcl.Diagnostics{
		at(hcl.DiagWarning, "W1", "a.hcl", 1),
		at(hcl.DiagError, "E3", "b.hcl", 1),
		at(hcl.DiagError, "E2", "a.hcl", 9),
		at(hcl.DiagError, "E1", "a.hcl", 2),
	}
	var b strings.Builder
	if err := cfg.WriteDiagnostics(&b, diags, 0); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, line := range strings.Split(b.String(), "\n") {
		if s, ok := strings.CutPrefix(line, "Error: "); ok {
			order = append(order, s)
		} else if s, ok := strings.CutPrefix(line, "Warning: "); ok {
			order = append(order, s)
		}
	}
	if want := []string{"E1", "E2", "E3", "W1"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if diags[0].Summary != "W1" {
		t.Error("WriteDiagnostics reordered the caller's slice")
	}
}
