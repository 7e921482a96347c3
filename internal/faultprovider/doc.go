// Package faultprovider is a payhost provider plugin for tests only: a fake
// gateway that fails on demand, in every way a real gateway or plugin
// process can. It is never shipped.
//
// Tests get the plugin binary from Build (built once per test process with
// go build) and Install copies of it under other provider types. The
// binary's main is Main, in cmd/payhost-provider-fault.
//
// # The fault gateway
//
// Provider keeps a payment table keyed by attempt id: CreatePayment records
// a payment (status from Metadata["status"], else succeeded for automatic
// capture and authorized for manual capture; a known attempt id answers
// what was recorded); Capture, Void, Reverse and Refund move it as a
// gateway would; GetPayment and GetRefund answer what the table holds (a
// payment or refund never recorded is a not_found error, code
// "not_found"; any other operation on a payment never recorded is
// invalid_request, same code). With EnvState naming a file, the table is
// saved after every change and loaded at start, so that after a crash
// GetPayment tells the truth: a payment recorded before the crash is
// found.
//
// Calls before Configure fail with kind internal, as a real provider's
// would, which shows whether the host configured a restarted plugin.
// Tokens and callbacks are unsupported.
//
// # Faults
//
// Per call: CreatePayment's Metadata["fault"], and for later operations on
// the payment its Metadata["fault.<operation>"] ("fault.capture",
// "fault.get_payment", ...). See Fault for each; in short: decline,
// not_sent, unknown, hang, exit, kill (after acting) and kill_before
// (without acting).
//
// At start-up, through the environment: EnvStdout prints text before the
// handshake, EnvProtocol announces another protocol version, EnvSilent
// never handshakes. EnvCallLog records every call received (ReadCalls), so
// a test can tell how many calls a plugin saw, even across crashes.
//
// # Echo mode
//
// With EnvEcho set, the plugin serves the echo fixtures (fixtures.go)
// instead: every RPC checks that its request equals the fully populated
// fixture request (Diff) and answers the fully populated fixture response,
// for the wire round-trip test. The host side and the plugin import the
// same fixtures.
package faultprovider
