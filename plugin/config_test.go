package plugin

import (
	"fmt"
	"strings"
	"testing"
)

func TestConfigNeverPrintsValues(t *testing.T) {
	c, err := NewConfig(map[string]any{"api_key": "sk_live_abcdef", "retries": int64(3)})
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		name string
		cfg  Config // unexported: fmt cannot call Config's methods here
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, holder{"x", c}, &holder{"x", c}} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, "sk_live_abcdef") {
				t.Errorf("fmt %s of %T prints the value: %s", verb, v, out)
			}
		}
	}
	if c.Secret("api_key").Reveal() != "sk_live_abcdef" || c.Int("retries") != 3 || !c.Has("retries") || c.Has("nope") {
		t.Fatalf("accessors do not read the values back")
	}
	var zero Config
	if zero.Has("x") || zero.String("x") != "" || zero.Names() != nil {
		t.Fatalf("the zero Config is not empty")
	}
}
