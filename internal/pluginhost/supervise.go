package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/connectivity"
)

// watch follows pr's gRPC connection until pr is stopped: when it leaves
// the ready state (the plugin died, or the connection went idle), a health
// check decides whether the plugin is still alive.
func (i *Instance) watch(pr *process) {
	i.wg.Add(1)
	go func() {
		defer i.wg.Done()
		for s := pr.conn.GetState(); ; s = pr.conn.GetState() {
			if s == connectivity.Idle || s == connectivity.TransientFailure {
				i.suspect(pr)
			}
			if !pr.conn.WaitForStateChange(pr.ctx, s) {
				return // stopped
			}
		}
	}()
}

// suspect holds new calls back and checks in the background whether pr
// is still alive, unless a check of pr is already running. i.mu must not
// be held.
func (i *Instance) suspect(pr *process) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.proc != pr || pr.checking {
		return // replaced, closed, or being checked
	}
	pr.checking = true
	i.setStateLocked(StateChecking)
	i.wg.Add(1) // under i.mu, so never after Close began waiting
	go func() {
		defer i.wg.Done()
		i.decide(pr, pr.healthy())
	}()
}

// decide lets calls through again when pr is alive, and otherwise hands
// it to the supervisor to be replaced.
func (i *Instance) decide(pr *process, alive bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	pr.checking = false
	if i.proc != pr {
		return // closed meanwhile
	}
	if alive {
		i.setStateLocked(StateReady)
		return
	}
	i.proc = nil
	i.crashes++
	i.lastErr = fmt.Errorf("plugin process %d exited or stopped answering", pr.pid)
	i.setStateLocked(StateRestarting)
	i.logger.Error("plugin exited or stopped answering; restarting it", "pid", pr.pid)
	i.dead <- pr // never blocks: one process at a time is current
}

// supervise restarts the instance's plugin each time it is found dead,
// until the instance is closed.
func (i *Instance) supervise() {
	defer i.wg.Done()
	delay := i.opts.MinRestartDelay
	for {
		var dead *process
		select {
		case <-i.ctx.Done():
			return
		case dead = <-i.dead:
		}
		dead.kill()
		if time.Since(dead.started) > i.opts.MaxRestartDelay {
			delay = i.opts.MinRestartDelay
		}
		for {
			if !sleep(i.ctx, delay) {
				return
			}
			delay = min(2*delay, i.opts.MaxRestartDelay)
			pr, err := i.restart()
			if err == nil {
				if !i.serve(pr) {
					pr.stop() // closed meanwhile
					return
				}
				break
			}
			i.mu.Lock()
			i.lastErr = err
			i.mu.Unlock()
			i.logger.Error("cannot restart plugin; trying again", "error", err, "delay", delay)
		}
	}
}

// restart starts a new process and sends it the remembered configuration.
func (i *Instance) restart() (*process, error) {
	pr, err := startProcess(i.plugin, i.opts, i.logger)
	if err != nil {
		return nil, err
	}
	i.mu.Lock()
	req := i.configure
	i.mu.Unlock()
	if req == nil {
		return pr, nil
	}
	ctx, cancel := context.WithTimeout(i.ctx, i.opts.CallTimeout)
	defer cancel()
	if _, err := pr.provider.Configure(ctx, req); err != nil {
		pr.stop()
		return nil, fmt.Errorf("the restarted plugin refused its configuration: %w", err)
	}
	return pr, nil
}

// serve makes pr the instance's process and lets calls through, unless the
// instance was closed.
func (i *Instance) serve(pr *process) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.state == StateClosed {
		return false
	}
	i.proc = pr
	i.restarts++
	i.setStateLocked(StateReady)
	i.logger.Info("plugin restarted", "pid", pr.pid, "restarts", i.restarts)
	i.watch(pr)
	return true
}

// sleep waits for d, or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// errClosed is the cause of calls made after Close.
var errClosed = errors.New("instance closed")
