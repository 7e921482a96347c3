package config

import (
	"fmt"
	"maps"
	"slices"
)

// Format prints the configuration's directory and the addresses of its
// providers and merchants, whatever the verb: a Config holds credentials
// and the source text, which fmt would otherwise reach by reflection.
func (c Config) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "config.Config{Dir: %q, Providers: %q, Merchants: %q}",
		c.Dir, slices.Sorted(maps.Keys(c.Providers)), slices.Sorted(maps.Keys(c.Merchants)))
}

// Format prints the provider's type, name and attribute names, never
// values, whatever the verb.
func (p Provider) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "provider %q %q %v", p.Type, p.Name, p.Config)
}
