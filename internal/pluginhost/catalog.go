package pluginhost

import (
	"context"
	"sync"

	"github.com/payhost/payhost/plugin"
)

// Catalog reads what provider plugins say about themselves: for a provider
// type it finds the plugin in its directories, computes the binary's
// checksum and starts it once, verified against that checksum, to read its
// GetInfo. Answers (and failures) are cached, so each plugin starts at most
// once; calls are serialised. It implements config.SchemaSource.
type Catalog struct {
	host *Host
	dirs []string
	// lock, when not nil, is the lock file every binary must match before
	// it is started.
	lock *LockFile

	mu    sync.Mutex
	infos map[string]catalogEntry
}

type catalogEntry struct {
	info Info
	err  error
}

// NewCatalog returns a Catalog that finds plugins in dirs (see SearchDirs)
// and starts them with h. With lock not nil, it starts only the binaries
// lock allows (LockFile.Check), as payhost serve does; for any other, Info
// returns the *NotLockedError or *ChecksumError without starting it.
func NewCatalog(h *Host, dirs []string, lock *LockFile) *Catalog {
	return &Catalog{host: h, dirs: dirs, lock: lock, infos: map[string]catalogEntry{}}
}

// Info returns what the plugin of provider type typ says about itself. Its
// Plugin.Checksum is the SHA-256 of the binary that answered.
func (c *Catalog) Info(ctx context.Context, typ string) (Info, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.infos[typ]; ok {
		return e.info, e.err
	}
	info, err := c.inspect(ctx, typ)
	c.infos[typ] = catalogEntry{info, err}
	return info, err
}

func (c *Catalog) inspect(ctx context.Context, typ string) (Info, error) {
	p, err := Find(typ, c.dirs)
	if err != nil {
		return Info{}, err
	}
	if p.Checksum, err = Checksum(p.Path); err != nil {
		return Info{}, err
	}
	if c.lock != nil {
		if err := c.lock.Check(p); err != nil {
			return Info{}, err
		}
	}
	return c.host.Inspect(ctx, p)
}

// ProviderInfo returns the GetInfo answer of the plugin of provider type
// typ, for config.Config.DecodeProviders.
func (c *Catalog) ProviderInfo(typ string) (*plugin.GetInfoResponse, error) {
	info, err := c.Info(context.Background(), typ)
	if err != nil {
		return nil, err
	}
	return &info.GetInfoResponse, nil
}
