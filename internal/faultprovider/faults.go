package faultprovider

import (
	"context"
	"fmt"
	"os"

	"github.com/payhost/payhost/plugin"
)

// Fault is what the fault gateway does with one call, chosen per call with
// the request's Metadata["fault"] (CreatePayment) or, for a later operation
// on a payment, with the payment's Metadata["fault.<operation>"] (for
// example "fault.capture", "fault.get_payment").
//
// Unless a fault says otherwise the gateway acts on the call (records the
// payment, captures it, ...) before the fault happens, as a real gateway
// would have before its answer was lost.
type Fault string

// The faults.
const (
	// FaultNone answers normally.
	FaultNone Fault = ""
	// FaultDecline declines: a new payment is recorded as failed with
	// code "05"; other operations change nothing.
	FaultDecline Fault = "decline"
	// FaultNotSent fails with not_sent without acting.
	FaultNotSent Fault = "not_sent"
	// FaultUnknown acts, then fails with unknown_outcome.
	FaultUnknown Fault = "unknown"
	// FaultHang acts, then blocks until the host gives up on the call.
	FaultHang Fault = "hang"
	// FaultExit acts, then exits the plugin process with status 3.
	FaultExit Fault = "exit"
	// FaultKill acts, then kills the plugin process with SIGKILL.
	FaultKill Fault = "kill"
	// FaultKillBefore kills the plugin process with SIGKILL without acting.
	FaultKillBefore Fault = "kill_before"
)

// DeclineCode and DeclineMessage are the gateway's answer to FaultDecline.
const (
	DeclineCode    = "05"
	DeclineMessage = "Do not honour"
)

// inject runs act, the call's effect at the gateway, wrapped in fault f.
func inject[T any](ctx context.Context, f Fault, act func() (T, error)) (T, error) {
	var zero T
	switch f {
	case FaultNone, FaultUnknown, FaultHang, FaultExit, FaultKill:
	case FaultDecline:
		return zero, plugin.Declined(DeclineCode, DeclineMessage)
	case FaultNotSent:
		return zero, plugin.NotSent(nil, "fault: the request was not sent")
	case FaultKillBefore:
		killSelf()
	default:
		return zero, plugin.InvalidRequest("metadata", "unknown fault %q", f)
	}
	resp, err := act()
	if err != nil {
		return zero, err
	}
	switch f {
	case FaultUnknown:
		return zero, plugin.UnknownOutcome(nil, "fault: the gateway acted but its answer was lost")
	case FaultHang:
		<-ctx.Done()
		return zero, plugin.UnknownOutcome(ctx.Err(), "fault: hung until the host gave up")
	case FaultExit:
		os.Exit(3)
	case FaultKill:
		killSelf()
	}
	return resp, nil
}

// killSelf sends SIGKILL to this process and waits to die.
func killSelf() {
	p, err := os.FindProcess(os.Getpid())
	if err == nil {
		err = p.Kill()
	}
	if err == nil {
		select {} // the signal is on its way
	}
	panic(fmt.Sprintf("faultprovider: cannot kill itself: %v", err))
}
