package pluginhost

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/plugin"
)

// State is where an Instance's plugin stands.
type State string

// The states of an Instance.
const (
	// StateReady: the plugin is running; calls go through.
	StateReady State = "ready"
	// StateChecking: a call failed in a way that may mean the plugin died;
	// new calls wait while a health check decides.
	StateChecking State = "checking"
	// StateRestarting: the plugin exited and is being restarted with
	// backoff; new calls wait for it, up to their deadline.
	StateRestarting State = "restarting"
	// StateClosed: Close was called; calls fail with not_sent.
	StateClosed State = "closed"
)

// Status is a snapshot of an Instance, for metrics and readiness.
type Status struct {
	State State
	// Since is when State was entered.
	Since time.Time
	// PID is the running plugin's process id, 0 when none runs.
	PID int
	// Crashes counts the times the plugin was found dead.
	Crashes int
	// Restarts counts the plugins started again after a crash.
	Restarts int
	// LastError says why the plugin last died or last failed to restart;
	// nil when it never did.
	LastError error
}

// Instance is one configured provider instance ("type.name") backed by a
// supervised plugin process. It implements plugin.Provider for the rest of
// the host:
//
//   - every call is bounded by Options.CallTimeout (and its context);
//   - Configure's request is remembered and sent again to a restarted
//     plugin before any other call;
//   - a call cut short by the plugin's death, or that timed out, fails with
//     kind unknown_outcome and is never retried;
//   - a plugin found dead is restarted with exponential backoff, and calls
//     made meanwhile wait for it up to their deadline, then fail with kind
//     not_sent: they were never sent.
type Instance struct {
	plugin  Plugin
	address string
	info    Info
	opts    Options
	logger  hclog.Logger

	// ctx ends when the instance is closed.
	ctx    context.Context
	cancel context.CancelFunc
	// dead hands the supervisor the process found dead.
	dead chan *process
	wg   sync.WaitGroup
	// onClose, when set, runs once the instance is closed.
	onClose   func()
	closeOnce sync.Once

	mu    sync.Mutex
	state State
	since time.Time
	proc  *process // the running process, nil while restarting or closed
	// changed is closed, and replaced, at every change of state or proc.
	changed   chan struct{}
	configure *plugin.ConfigureRequest
	crashes   int
	restarts  int
	lastErr   error
}

var _ plugin.Provider = (*Instance)(nil)

// newInstance supervises pr as the instance's plugin.
func newInstance(p Plugin, name string, info Info, pr *process, opts Options, logger hclog.Logger) *Instance {
	ctx, cancel := context.WithCancel(context.Background())
	i := &Instance{
		plugin:  p,
		address: p.Type + "." + name,
		info:    info,
		opts:    opts,
		logger:  logger,
		ctx:     ctx,
		cancel:  cancel,
		dead:    make(chan *process, 1),
		state:   StateReady,
		since:   time.Now(),
		proc:    pr,
		changed: make(chan struct{}),
	}
	i.wg.Add(1)
	go i.supervise()
	i.watch(pr)
	return i
}

// Address returns the instance's address, "type.name".
func (i *Instance) Address() string { return i.address }

// Info returns what the plugin said about itself at launch.
func (i *Instance) Info() Info { return i.info }

// Status returns the instance's current status.
func (i *Instance) Status() Status {
	i.mu.Lock()
	defer i.mu.Unlock()
	s := Status{State: i.state, Since: i.since, Crashes: i.crashes, Restarts: i.restarts, LastError: i.lastErr}
	if i.proc != nil {
		s.PID = i.proc.pid
	}
	return s
}

// Ready reports whether calls go straight through to a running plugin.
func (i *Instance) Ready() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.state == StateReady
}

// Close stops the plugin and the instance's goroutines; once it returns no
// process or goroutine of the instance is left. Calls still running fail
// with unknown_outcome, later calls with not_sent. Close is idempotent.
func (i *Instance) Close() error {
	i.mu.Lock()
	pr := i.proc
	if i.state != StateClosed {
		i.proc = nil
		i.setStateLocked(StateClosed)
	}
	i.mu.Unlock()
	i.cancel()
	if pr != nil {
		pr.stop()
	}
	i.wg.Wait()
	select {
	case pr := <-i.dead: // found dead, not yet handled by the supervisor
		pr.kill()
	default:
	}
	if i.onClose != nil {
		i.closeOnce.Do(i.onClose)
	}
	return nil
}

// setStateLocked moves to state s and wakes every waiting call. i.mu must
// be held.
func (i *Instance) setStateLocked(s State) {
	if s != i.state {
		i.state = s
		i.since = time.Now()
	}
	close(i.changed)
	i.changed = make(chan struct{})
}
