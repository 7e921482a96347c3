package plugin

import "google.golang.org/grpc"

// The gRPC connection between the host and a plugin carries one small
// request and answer per call (a payment is about 300 bytes), one call at a
// time per caller, over a local socket. gRPC's defaults are made for long
// streams across networks; the settings below fit this traffic. They only
// tune the HTTP/2 transport (no message or service changes), and either side
// still talks to a peer without them. Transport security (go-plugin's
// AutoMTLS) is set by go-plugin as before.
//
// Measured together on a 2-core VM with BenchmarkCreatePayment
// (internal/pluginhost, fault plugin, GOMAXPROCS 1, 7 runs each, medians):
// 1 caller p50 98 → 92 µs, plugin CPU 64 → 54 µs and host CPU 85 → 74 µs
// per call; 16 callers 16.2k → 19.8k calls/s, p50 727 → 544 µs. Each
// setting's own effect is below.
const (
	// windowSize is the static HTTP/2 flow-control window, per stream and
	// per connection, of both sides. A static window turns off gRPC's BDP
	// estimator, which otherwise sends a PING after nearly every message
	// received and has the peer answer it: two extra frames each way per
	// call, which cost their own writes, reads and goroutine wake-ups
	// whenever they cannot ride along with the call's own frames (as soon
	// as the plugin takes a moment to answer, as every real gateway does).
	// Measured on AppotaPay CreatePayment: read/write system calls per call
	// 9.3 → 7.1 in the host and 8.8 → 6.0 in the plugin. 1 MiB (16 times
	// gRPC's 64 KiB default) lets even a large callback body through
	// without waiting for a window update; the estimator could never grow
	// the window for such small messages anyway.
	windowSize = 1 << 20

	// streamWorkers is the number of goroutines the plugin's gRPC server
	// keeps to run calls. Without them gRPC starts a goroutine per call,
	// whose stack then grows by copying (runtime.newstack/copystack) on the
	// way through gRPC, TLS and the provider: 13% of the fault plugin's CPU
	// in a CPU profile, gone with workers. A worker keeps its grown stack.
	// 16 covers the 16 concurrent callers of the benchmark; calls beyond
	// that get a goroutine of their own as before, so none waits. Idle
	// workers cost only their stacks (a few KB each).
	streamWorkers = 16
)

// newTransportServer is the plugin's gRPC server: go-plugin's options
// (its TLS credentials) and the tuning above. It is ServeConfig.GRPCServer.
func newTransportServer(opts []grpc.ServerOption) *grpc.Server {
	return grpc.NewServer(append(opts,
		grpc.StaticStreamWindowSize(windowSize),
		grpc.StaticConnWindowSize(windowSize),
		grpc.NumStreamWorkers(streamWorkers),
	)...)
}

// HostDialOptions returns the gRPC dial options a host passes as
// goplugin.ClientConfig.GRPCDialOptions: the host's half of the tuning the
// plugin's server has (a static flow-control window; see windowSize).
func HostDialOptions() []grpc.DialOption {
	return []grpc.DialOption{
		grpc.WithStaticStreamWindowSize(windowSize),
		grpc.WithStaticConnWindowSize(windowSize),
	}
}
