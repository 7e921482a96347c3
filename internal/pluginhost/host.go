package pluginhost

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/plugin"
)

// Info is what a plugin says about itself, with the binary it came from
// and the protocol version negotiated with it.
type Info struct {
	plugin.GetInfoResponse
	Plugin   Plugin
	Protocol int
}

// Host launches plugins and keeps track of the instances it launched, so
// that Close stops them all.
type Host struct {
	opts Options

	mu        sync.Mutex
	instances map[string]*Instance
	closed    bool
}

// New returns a Host that launches plugins with opts.
func New(opts Options) *Host {
	return &Host{opts: opts.withDefaults(), instances: map[string]*Instance{}}
}

// Launch starts the plugin binary p for the provider instance named name
// (address "<type>.<name>"), checks what it says about itself, and
// supervises it until Close. The plugin is not configured yet: call
// Configure on the instance before anything else. ctx bounds the GetInfo
// call; Options.StartTimeout bounds the start itself.
//
// With p.Checksum set (LockFile.Pin), a binary with another checksum is
// refused with a *ChecksumError.
func (h *Host) Launch(ctx context.Context, p Plugin, name string) (*Instance, error) {
	address := p.Type + "." + name
	logger := h.opts.Logger.Named("plugin." + address)
	info, pr, err := h.start(ctx, p, logger)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		err = fmt.Errorf("cannot launch provider %s: the plugin host is shut down", address)
	case h.instances[address] != nil:
		err = fmt.Errorf("provider %s is already running", address)
	}
	if err != nil {
		pr.stop()
		return nil, err
	}
	inst := newInstance(p, name, info, pr, h.opts, logger)
	inst.onClose = func() { h.forget(inst) }
	h.instances[address] = inst
	return inst, nil
}

// forget drops a closed instance, so that its address can be launched
// again.
func (h *Host) forget(inst *Instance) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.instances[inst.address] == inst {
		delete(h.instances, inst.address)
	}
}

// Inspect starts the plugin binary p, asks it to describe itself and stops
// it again.
func (h *Host) Inspect(ctx context.Context, p Plugin) (Info, error) {
	info, pr, err := h.start(ctx, p, h.opts.Logger.Named("plugin."+p.Type))
	if err != nil {
		return Info{}, err
	}
	pr.stop()
	return info, nil
}

// start launches p and reads its GetInfo, checking that the plugin is of
// the type its file name says.
func (h *Host) start(ctx context.Context, p Plugin, logger hclog.Logger) (Info, *process, error) {
	pr, err := startProcess(p, h.opts, logger)
	if err != nil {
		return Info{}, nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, h.opts.CallTimeout)
	defer cancel()
	resp, err := pr.provider.GetInfo(ctx, &plugin.GetInfoRequest{})
	if err == nil && resp.Type != p.Type {
		err = fmt.Errorf("it says it is a %q provider, but its file name says %q", resp.Type, p.Type)
	}
	if err != nil {
		pr.stop()
		return Info{}, nil, fmt.Errorf("plugin %s did not describe itself: %w", p.Path, err)
	}
	return Info{GetInfoResponse: *resp, Plugin: p, Protocol: pr.protocol}, pr, nil
}

// Instances returns the instances launched and not closed, sorted by
// address.
func (h *Host) Instances() []*Instance {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Instance, 0, len(h.instances))
	for _, inst := range h.instances {
		out = append(out, inst)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].address < out[b].address })
	return out
}

// Close stops every instance's plugin; no plugin process or goroutine of
// the host is left when it returns. Later launches fail.
func (h *Host) Close() error {
	h.mu.Lock()
	h.closed = true
	instances := h.instances
	h.instances = map[string]*Instance{}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for _, inst := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst.Close()
		}()
	}
	wg.Wait()
	return nil
}
