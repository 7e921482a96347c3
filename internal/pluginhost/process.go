package pluginhost

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/payhost/payhost/plugin"
)

// process is one running plugin process: its go-plugin client, its gRPC
// connection and the plugin.Provider dispensed over it.
type process struct {
	client   *goplugin.Client
	conn     *grpc.ClientConn
	provider plugin.Provider
	protocol int
	pid      int
	started  time.Time
	// checking is set while a health check of the process runs; guarded
	// by the owning Instance's mu.
	checking bool

	// ctx ends when the process is stopped; stop cancels it.
	ctx      context.Context
	cancel   context.CancelFunc
	stopOnce sync.Once
}

// startProcess launches the plugin binary p and completes the go-plugin
// handshake. It refuses a binary whose checksum is not p.Checksum (when
// set). The process runs until stop.
func startProcess(p Plugin, opts Options, logger hclog.Logger) (*process, error) {
	cmd := exec.Command(p.Path)
	cmd.Env = opts.pluginEnv()
	cmd.SysProcAttr = sysProcAttr()
	stdio := logger.StandardWriter(&hclog.StandardLoggerOptions{ForceLevel: hclog.Debug})
	cfg := &goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: plugin.HostPluginSets(),
		Cmd:              cmd,
		SkipHostEnv:      true, // cmd.Env already holds it
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         !opts.DisableAutoMTLS,
		StartTimeout:     opts.StartTimeout,
		Logger:           logger,
		SyncStdout:       stdio,
		SyncStderr:       stdio,
		GRPCDialOptions:  plugin.HostDialOptions(),
	}
	if p.Checksum != nil {
		cfg.SecureConfig = &goplugin.SecureConfig{Checksum: p.Checksum, Hash: sha256.New()}
	}
	client := goplugin.NewClient(cfg)
	pr, err := dispense(client)
	if err != nil {
		client.Kill()
		return nil, startError(p, opts, err)
	}
	return pr, nil
}

// dispense starts the client and dispenses the provider.
func dispense(client *goplugin.Client) (*process, error) {
	rpc, err := client.Client()
	if err != nil {
		return nil, err
	}
	raw, err := rpc.Dispense(plugin.PluginName)
	if err != nil {
		return nil, err
	}
	provider, ok := raw.(plugin.Provider)
	if !ok {
		return nil, fmt.Errorf("dispensed %T, not a plugin.Provider", raw)
	}
	grpcClient, ok := rpc.(*goplugin.GRPCClient)
	if !ok {
		return nil, fmt.Errorf("plugin is not served over gRPC")
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &process{
		client:   client,
		conn:     grpcClient.Conn,
		provider: provider,
		protocol: client.NegotiatedVersion(),
		pid:      client.ReattachConfig().Pid,
		started:  time.Now(),
		ctx:      ctx,
		cancel:   cancel,
	}, nil
}

// stop ends the process: go-plugin asks it to exit, then kills it. It
// returns once the process is gone and its goroutines are done. A process
// that does not even answer go-plugin's request to exit (it is stopped, or
// wedged) is killed after stopTimeout.
func (pr *process) stop() { pr.end(stopTimeout) }

// kill ends a process found dead or no longer answering, without asking.
func (pr *process) kill() { pr.end(0) }

// end stops the process, killing it outright after grace.
func (pr *process) end(grace time.Duration) {
	pr.stopOnce.Do(func() {
		pr.cancel()
		done := make(chan struct{})
		go func() {
			defer close(done)
			pr.client.Kill()
		}()
		if grace > 0 {
			select {
			case <-done:
				return
			case <-time.After(grace):
			}
		}
		if !pr.client.Exited() { // not yet reaped, so the pid is still ours
			if p, err := os.FindProcess(pr.pid); err == nil {
				p.Kill()
			}
		}
		<-done
	})
}

// healthy reports whether the process is running and answers go-plugin's
// health check within healthTimeout.
func (pr *process) healthy() bool {
	if pr.client.Exited() {
		return false
	}
	ctx, cancel := context.WithTimeout(pr.ctx, healthTimeout)
	defer cancel()
	_, err := grpc_health_v1.NewHealthClient(pr.conn).Check(ctx,
		&grpc_health_v1.HealthCheckRequest{Service: goplugin.GRPCServiceName})
	return err == nil
}

// pluginVersionRe finds the plugin's protocol version in go-plugin's
// version mismatch error.
var pluginVersionRe = regexp.MustCompile(`Plugin version: (\d+)`)

// startError turns go-plugin's launch failures into sentences that say
// what went wrong and how to fix it.
func startError(p Plugin, opts Options, err error) error {
	name := filepath.Base(p.Path)
	msg := err.Error()
	switch {
	case errors.Is(err, goplugin.ErrChecksumsDoNotMatch):
		return newChecksumError(p)
	case strings.Contains(msg, "incompatible API version"):
		theirs := "another version"
		if m := pluginVersionRe.FindStringSubmatch(msg); m != nil {
			theirs = "version " + m[1]
		}
		return fmt.Errorf("plugin %s speaks plugin protocol %s, but this payhost speaks protocol version %s; install a build of the plugin for protocol %d, or a payhost that speaks its protocol",
			p.Path, theirs, joinInts(plugin.SupportedProtocolVersions), plugin.ProtocolVersion)
	case strings.HasPrefix(msg, "Unrecognized remote plugin message: "):
		line, _, _ := strings.Cut(strings.TrimPrefix(msg, "Unrecognized remote plugin message: "), "\n")
		return fmt.Errorf("plugin %s wrote %q to stdout instead of the go-plugin handshake; plugins must not write to stdout before plugin.Serve (log to stderr instead), and the file must be a payhost plugin built for this system",
			p.Path, line)
	case strings.Contains(msg, "timeout while waiting for plugin to start"):
		return fmt.Errorf("plugin %s did not complete its handshake within %s; it may be stuck or not be a payhost plugin. Its log may say why",
			p.Path, opts.StartTimeout)
	case strings.Contains(msg, "plugin exited before we could connect"):
		return fmt.Errorf("plugin %s exited before completing its handshake; it may not be a payhost plugin. Its log may say why", p.Path)
	}
	return fmt.Errorf("cannot start plugin %s: %w", name, err)
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
