package webhook

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/payhost/payhost/internal/store"
)

// Dispatcher delivers the outbox's events to merchants: it claims due
// events with a lease, delivers each on a worker of a bounded pool, and
// records every attempt. Several dispatchers, in one process or in several
// hosts on one database, share the work. See the package documentation
// for its guarantees.
type Dispatcher struct {
	st        store.Store
	endpoints Endpoints
	opts      Options
	client    *http.Client
	logger    hclog.Logger

	// slots holds a token per idle worker: a claim takes as many events as
	// it has tokens, and a delivery gives its token back when recorded.
	slots chan struct{}
	// wake is Notify's doorbell; one ring is enough.
	wake chan struct{}
	// stop is closed by Close.
	stop      chan struct{}
	closeOnce sync.Once
	// running counts the claim loop and the deliveries in flight.
	running sync.WaitGroup
	// results takes each attempt to the recorder, which records the
	// attempts waiting in one transaction; recorded is closed when the
	// recorder stops. started says Start was called.
	results  chan attempt
	recorded chan struct{}
	started  bool
}

// NewDispatcher returns a dispatcher of st's outbox to endpoints, or what
// is wrong with opts. Start it with Start.
func NewDispatcher(st store.Store, endpoints Endpoints, opts Options) (*Dispatcher, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = opts.Workers
	d := &Dispatcher{
		st: st, endpoints: endpoints, opts: opts,
		client: &http.Client{
			Transport: transport,
			// A redirect is an answer other than 2xx: following it would
			// send the event where the merchant did not configure.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		logger:   opts.Logger,
		slots:    make(chan struct{}, opts.Workers),
		wake:     make(chan struct{}, 1),
		stop:     make(chan struct{}),
		results:  make(chan attempt, opts.Workers),
		recorded: make(chan struct{}),
	}
	for range opts.Workers {
		d.slots <- struct{}{}
	}
	return d, nil
}

// Start delivers events in the background until Close, or until ctx ends.
// Call it once. Ending ctx is a crash as far as the outbox can tell:
// deliveries in flight are abandoned unrecorded, and their events wait for
// their lease to expire; Close is the orderly way to stop.
func (d *Dispatcher) Start(ctx context.Context) {
	d.started = true
	d.running.Add(1)
	go d.run(ctx)
	go d.recordLoop(ctx)
}

// Notify asks the dispatcher to look for due events now rather than at its
// next poll. The engine calls it after committing a transaction that
// appended an event. It never blocks.
func (d *Dispatcher) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Close stops claiming events, waits for the deliveries in flight to
// finish and be recorded (each within Options.Timeout), and returns. It may
// be called more than once.
func (d *Dispatcher) Close() {
	d.closeOnce.Do(func() {
		close(d.stop)
		d.running.Wait()
		// Every delivery has handed its attempt over: the recorder records
		// what is left and stops.
		close(d.results)
		if !d.started {
			close(d.recorded)
		}
	})
	<-d.recorded
	d.client.CloseIdleConnections()
}

// run claims events for the idle workers, until Close or ctx's end.
func (d *Dispatcher) run(ctx context.Context) {
	defer d.running.Done()
	poll := time.NewTicker(d.opts.PollInterval)
	defer poll.Stop()
	// notified is when the dispatcher last claimed for a Notify.
	var notified time.Time
	for {
		idle := d.acquire(ctx)
		if idle == 0 {
			return
		}
		// This claim sees the commits of every Notify so far: forget
		// them.
		select {
		case <-d.wake:
		default:
		}
		events, err := d.claim(ctx, idle)
		if err != nil && ctx.Err() == nil {
			d.logger.Error("cannot claim events", "error", err)
		}
		d.release(idle - len(events))
		for _, e := range events {
			d.running.Add(1)
			go d.deliver(ctx, e)
		}
		if err == nil && len(events) == idle {
			// Every idle worker got an event: more may be due.
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-d.stop:
			return
		case <-d.wake:
			// The first Notify after a quiet spell is claimed for at
			// once: a lone event goes out without waiting. While they
			// keep coming, claim at most once per ClaimDelay, so that
			// the events of the commits since the last claim go
			// together: one claim for a burst rather than one per
			// event.
			if wait := d.opts.ClaimDelay - time.Since(notified); wait > 0 && !d.sleep(ctx, wait) {
				return
			}
			notified = time.Now()
		case <-poll.C:
		}
	}
}

// sleep waits for delay, or until the dispatcher stops (then false).
func (d *Dispatcher) sleep(ctx context.Context, delay time.Duration) bool {
	if delay <= 0 {
		return true
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-d.stop:
		return false
	case <-t.C:
		return true
	}
}

// acquire waits for an idle worker, then takes every idle worker's slot,
// and returns how many; 0 once the dispatcher stops.
func (d *Dispatcher) acquire(ctx context.Context) int {
	select {
	case <-ctx.Done():
		return 0
	case <-d.stop:
		return 0
	case <-d.slots:
	}
	n := 1
	for n < cap(d.slots) {
		select {
		case <-d.slots:
			n++
		default:
			return n
		}
	}
	return n
}

// release gives n slots back.
func (d *Dispatcher) release(n int) {
	for range n {
		d.slots <- struct{}{}
	}
}

// claim leases up to limit due events to this dispatcher.
func (d *Dispatcher) claim(ctx context.Context, limit int) ([]store.Event, error) {
	var events []store.Event
	err := d.st.InTx(ctx, func(tx store.Tx) (err error) {
		events, err = tx.ClaimEvents(ctx, d.opts.Owner, limit, d.opts.Lease)
		return err
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}
