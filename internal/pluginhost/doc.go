// Package pluginhost is the host side of payhost's provider plugins: it
// finds plugin binaries, locks and verifies their checksums, launches them
// over go-plugin gRPC, supervises them and stops them.
//
// Discovery: SearchDirs lists where plugins are looked for (plugin_dir,
// $PAYHOST_PLUGIN_PATH, beside the payhost executable); Find and FindAll
// return Plugins, binaries named payhost-provider-<type>.
//
// Locking: LockFile is payhost.lock.hcl, written by `payhost init`
// (WriteLockFile only writes when the content changes) and read by
// `payhost serve` (ReadLockFile). LockFile.Pin gives a Plugin the locked
// checksum; launching a binary with another one fails with *ChecksumError.
//
// Running: a Host launches plugins with Options (AutoMTLS, protocol version
// negotiation, start and call timeouts, the plugins' GOMAXPROCS and log
// level). Host.Inspect starts a plugin once to read its GetInfo. Host.Launch
// returns an Instance, one configured provider "type.name", which
// implements plugin.Provider: it remembers its Configure request, restarts
// a crashed plugin with backoff and configures it again, reports calls cut
// by a crash or a timeout as unknown_outcome and calls that could not be
// sent as not_sent, and exposes its Status for metrics and readiness.
// Host.Close stops every plugin.
//
// It leaves to its callers the configuration (internal/config) and what
// the calls mean (the host package).
package pluginhost
