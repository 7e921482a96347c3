package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"

	"github.com/payhost/payhost/internal/config"
	"github.com/payhost/payhost/internal/pluginhost"
	"github.com/payhost/payhost/plugin"
)

// provider is one configured provider instance: its supervised plugin and
// the capabilities it kept once configured.
type provider struct {
	addr string
	inst *pluginhost.Instance
	caps plugin.Capabilities
}

// CallbackPath returns the path, under the host's public URL, at which the
// gateway of provider instance "type.name" sends its callbacks.
func CallbackPath(typ, name string) string {
	return "/v1/callbacks/" + typ + "/" + name
}

// launchProviders finds, verifies and launches the plugin of every
// configured provider instance, decodes the provider blocks against what
// the plugins declare, and configures each instance.
func (h *Host) launchProviders(ctx context.Context) error {
	lockPath := filepath.Join(h.cfg.Dir, pluginhost.LockFileName)
	if h.opts.ConfigPath != "" {
		lockPath = pluginhost.LockFilePath(h.opts.ConfigPath)
	}
	lock, err := pluginhost.ReadLockFile(lockPath)
	if err != nil {
		return fmt.Errorf("%s: %w", lockPath, err)
	}
	pluginDir := h.cfg.Host.PluginDir
	if h.opts.PluginDir != "" {
		pluginDir = h.opts.PluginDir
	}
	dirs := pluginhost.SearchDirs(pluginDir)

	h.order = slices.Sorted(maps.Keys(h.cfg.Providers))
	h.providers = make(map[string]*provider, len(h.order))
	insts := make([]*pluginhost.Instance, len(h.order))
	errs := make([]error, len(h.order))
	var wg sync.WaitGroup
	for i, addr := range h.order {
		wg.Go(func() { insts[i], errs[i] = h.launch(ctx, h.cfg.Providers[addr], dirs, lock) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := h.decodeProviders(insts); err != nil {
		return err
	}
	configured := make([]*provider, len(h.order))
	for i, addr := range h.order {
		wg.Go(func() { configured[i], errs[i] = h.configure(ctx, h.cfg.Providers[addr], insts[i]) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, p := range configured {
		h.providers[p.addr] = p
	}
	return nil
}

// launch starts the locked plugin binary of one provider instance.
func (h *Host) launch(ctx context.Context, p *config.Provider, dirs []string, lock *pluginhost.LockFile) (*pluginhost.Instance, error) {
	bin, err := pluginhost.Find(p.Type, dirs)
	if err == nil {
		bin, err = lock.Pin(bin)
	}
	var inst *pluginhost.Instance
	if err == nil {
		inst, err = h.plugins.Launch(ctx, bin, p.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("provider %s: %w", p.Addr(), err)
	}
	return inst, nil
}

// decodeProviders decodes the provider blocks not decoded yet against the
// schemas the launched plugins declared.
func (h *Host) decodeProviders(insts []*pluginhost.Instance) error {
	schemas := config.StaticSchemas{}
	decoded := true
	for i, addr := range h.order {
		p := h.cfg.Providers[addr]
		info := insts[i].Info().GetInfoResponse
		schemas[p.Type] = &info
		decoded = decoded && p.Info != nil
	}
	if decoded {
		return nil
	}
	if diags := h.cfg.DecodeProviders(schemas); diags.HasErrors() {
		var b bytes.Buffer
		_ = h.cfg.WriteDiagnostics(&b, diags, 0)
		return fmt.Errorf("the provider blocks do not match their plugins:\n%s", b.String())
	}
	return nil
}

// configure sends an instance its configuration and callback URL, and
// returns it with the capabilities it answered with.
func (h *Host) configure(ctx context.Context, p *config.Provider, inst *pluginhost.Instance) (*provider, error) {
	resp, err := inst.Configure(ctx, &plugin.ConfigureRequest{
		Instance:    p.Addr(),
		Config:      p.Config,
		CallbackURL: h.cfg.Host.PublicURL + CallbackPath(p.Type, p.Name),
	})
	if err != nil {
		return nil, fmt.Errorf("provider %s refused its configuration: %w", p.Addr(), err)
	}
	for _, w := range resp.Warnings {
		h.log.Warn("provider configuration", "provider", p.Addr(), "warning", w)
	}
	caps := inst.Info().Capabilities
	if resp.Capabilities != nil {
		caps = *resp.Capabilities
	}
	return &provider{addr: p.Addr(), inst: inst, caps: caps}, nil
}

// routedConfig is the configuration the router works from: the same, but
// with each provider's capabilities as its configured instance narrowed
// them. The caller's configuration is left alone.
func (h *Host) routedConfig() *config.Config {
	cfg := *h.cfg
	cfg.Providers = make(map[string]*config.Provider, len(h.cfg.Providers))
	for addr, p := range h.cfg.Providers {
		cp, info := *p, *p.Info
		info.Capabilities = h.providers[addr].caps
		cp.Info = &info
		cfg.Providers[addr] = &cp
	}
	return &cfg
}
