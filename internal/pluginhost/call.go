package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/status"

	"github.com/payhost/payhost/plugin"
)

// call runs one call on the instance's plugin: it waits for a ready plugin
// (up to the call's deadline), sends the call, and classifies failures. It
// returns the process that handled the call.
func call[Resp any](i *Instance, ctx context.Context, op string, send func(context.Context, plugin.Provider) (Resp, error)) (Resp, *process, error) {
	var zero Resp
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, i.opts.CallTimeout)
	defer cancel()
	pr, err := i.acquire(ctx, op)
	if err != nil {
		return zero, nil, err
	}
	resp, err := send(ctx, pr.provider)
	if err == nil {
		return resp, pr, nil
	}
	if answered(err) {
		return zero, pr, err
	}
	return zero, pr, i.unknownOutcome(ctx, pr, op, time.Since(start), err)
}

// acquire waits until the instance has a ready plugin, and returns it. When
// ctx ends first, or the instance is closed, the call was not sent.
func (i *Instance) acquire(ctx context.Context, op string) (*process, error) {
	for {
		i.mu.Lock()
		state, pr, changed, lastErr := i.state, i.proc, i.changed, i.lastErr
		i.mu.Unlock()
		switch state {
		case StateReady:
			if s := pr.conn.GetState(); s == connectivity.Ready || s == connectivity.Connecting {
				return pr, nil
			}
			i.suspect(pr) // the connection is down: wait for the check
			continue
		case StateClosed:
			return nil, &plugin.Error{Kind: plugin.KindNotSent, Err: errClosed,
				Message: fmt.Sprintf("provider %s is shut down; %s was not sent", i.address, op)}
		}
		select {
		case <-changed:
		case <-ctx.Done():
			why := "its plugin is being checked after a failed call"
			if state == StateRestarting {
				why = "its plugin exited and is being restarted"
			}
			return nil, &plugin.Error{Kind: plugin.KindNotSent, Err: errors.Join(ctx.Err(), lastErr),
				Message: fmt.Sprintf("provider %s is not available (%s) and did not come back before the call's deadline; %s was not sent", i.address, why, op)}
		}
	}
}

// answered reports whether err is the plugin's own answer, rather than
// the failure of a call the plugin did not answer: the SDK reports those as
// unknown_outcome with the gRPC error as the cause.
func answered(err error) bool {
	var perr *plugin.Error
	return errors.As(err, &perr) && (perr.Kind != plugin.KindUnknownOutcome || perr.Err == nil)
}

// unknownOutcome explains a call the plugin did not answer: it died during
// it, or the call timed out or was cancelled. The plugin's health is
// checked, in the background. The call is never retried.
func (i *Instance) unknownOutcome(ctx context.Context, pr *process, op string, took time.Duration, cause error) error {
	const unknown = "the gateway may have acted, so its outcome is unknown: resolve it with a status query, never by sending it again"
	i.suspect(pr)
	var msg string
	switch {
	case i.closed():
		msg = fmt.Sprintf("provider %s was shut down during %s; %s", i.address, op, unknown)
	case timedOut(ctx, cause):
		msg = fmt.Sprintf("the plugin of provider %s did not answer %s within %s; %s. The plugin's log may say why", i.address, op, took.Round(time.Millisecond), unknown)
	case ctx.Err() != nil:
		msg = fmt.Sprintf("%s on provider %s was cancelled while the plugin was handling it; %s", op, i.address, unknown)
	default:
		msg = fmt.Sprintf("the plugin of provider %s exited or lost its connection during %s; %s. The plugin's log may say why", i.address, op, unknown)
	}
	return &plugin.Error{Kind: plugin.KindUnknownOutcome, Message: msg, Err: cause}
}

// timedOut reports whether a call failed because its deadline passed. gRPC
// enforces the deadline on its own timer and may report DeadlineExceeded a
// moment before the context's timer fires, so both are consulted.
func timedOut(ctx context.Context, cause error) bool {
	return errors.Is(ctx.Err(), context.DeadlineExceeded) || status.Code(cause) == codes.DeadlineExceeded
}

// closed reports whether Close was called.
func (i *Instance) closed() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.state == StateClosed
}
