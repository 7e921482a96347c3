package webhook

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/hashicorp/go-hclog"
)

// The defaults of Options.
const (
	DefaultWorkers      = 64
	DefaultTimeout      = 10 * time.Second
	DefaultLease        = time.Minute
	DefaultPollInterval = time.Second
	DefaultClaimDelay   = 25 * time.Millisecond
)

// Options tune a Dispatcher; the zero value of each field means its
// default.
type Options struct {
	// Owner names this dispatcher in the events it leases; it must differ
	// between the hosts of one database. Default: host name, process id and
	// random bytes.
	Owner string
	// Workers bounds the deliveries in flight, and so how many events one
	// claim takes. Merchants answer in tens to hundreds of milliseconds:
	// a host taking thousands of payments a second needs tens of
	// deliveries in flight. Default: DefaultWorkers.
	Workers int
	// Timeout bounds one delivery, from connecting to reading the answer.
	// Default: DefaultTimeout.
	Timeout time.Duration
	// Lease is how long a claimed event is this dispatcher's alone. It
	// must exceed Timeout, with room to record the attempt; a host that
	// dies mid-delivery delays its events by up to Lease. Default:
	// DefaultLease.
	Lease time.Duration
	// PollInterval is how often the outbox is read for due events when
	// nobody calls Notify (retries come due, other hosts append events).
	// Default: DefaultPollInterval.
	PollInterval time.Duration
	// ClaimDelay spaces the claims that Notify asks for: a Notify within
	// ClaimDelay of the last such claim waits until ClaimDelay after it,
	// so that the events of the commits in between are claimed together
	// (one claim for a burst rather than one per event); a Notify after
	// a quiet spell claims at once, so that a lone event is not delayed.
	// It bounds how long an event waits to be claimed under load.
	// Default: DefaultClaimDelay; negative: none.
	ClaimDelay time.Duration
	// Backoff is the retry schedule. Default: DefaultBackoff.
	Backoff Backoff
	// UserAgent is sent with every request. Default: "payhost/<module
	// version>".
	UserAgent string
	// Logger receives a line per failed attempt and per event given up
	// (Debug: per delivery). Default: none.
	Logger hclog.Logger
	// Observer, when set, is told about every delivery attempt once it
	// is recorded (or failed to be), for metrics. It is called from the
	// dispatcher's goroutines and must not block.
	Observer func(Observation)
}

// Observation is one delivery attempt, as Options.Observer sees it.
type Observation struct {
	EventID, EventType, MerchantID string
	// Attempt counts the event's attempts, this one included.
	Attempt int
	// Result is ResultDelivered, ResultFailed or ResultAbandoned.
	Result string
	// HTTPStatus is the merchant's answer, 0 when there was none.
	HTTPStatus int
	Duration   time.Duration
	// Recorded is false when the attempt could not be recorded (the
	// event's lease ran out, or the store failed): the event will be
	// delivered again.
	Recorded bool
}

// The results of an Observation.
const (
	// ResultDelivered: the merchant answered 2xx.
	ResultDelivered = "delivered"
	// ResultFailed: no 2xx; the event is retried.
	ResultFailed = "failed"
	// ResultAbandoned: no 2xx, and the event is given up (its retry
	// horizon passed, or its merchant has no webhook).
	ResultAbandoned = "abandoned"
)

// withDefaults returns o with every zero field set to its default, or
// what is wrong with it.
func (o Options) withDefaults() (Options, error) {
	if o.Owner == "" {
		o.Owner = defaultOwner()
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Lease == 0 {
		o.Lease = DefaultLease
	}
	if o.PollInterval == 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.ClaimDelay == 0 {
		o.ClaimDelay = DefaultClaimDelay
	}
	if o.Backoff.Delays == nil && o.Backoff.Horizon == 0 {
		o.Backoff = DefaultBackoff
	}
	if o.UserAgent == "" {
		o.UserAgent = defaultUserAgent()
	}
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	switch {
	case o.Workers < 0 || o.Timeout < 0 || o.PollInterval < 0:
		return o, errors.New("webhook dispatcher: workers, timeout and poll interval must not be negative")
	case o.Lease <= o.Timeout:
		return o, fmt.Errorf("webhook dispatcher: lease %s must exceed the delivery timeout %s", o.Lease, o.Timeout)
	}
	if err := o.Backoff.validate(); err != nil {
		return o, fmt.Errorf("webhook dispatcher: %w", err)
	}
	return o, nil
}

// defaultOwner is unique to this process: host name, process id and
// random bytes (a restarted process may get the same id again).
func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// modulePath is payhost's module, found in the binary's build information.
const modulePath = "github.com/payhost/payhost"

// defaultUserAgent is "payhost/<version>": the version of payhost's module
// in this binary, as the main module or as a dependency of a service that
// embeds the host; "dev" in a build without one.
func defaultUserAgent() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
			if m.Path == modulePath && m.Version != "" && m.Version != "(devel)" {
				return "payhost/" + m.Version
			}
		}
	}
	return "payhost/dev"
}
