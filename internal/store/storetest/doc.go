// Package storetest is the one test suite every store.Store passes, and the
// benchmark of the engine's hot path, so that store/sqlite and
// store/postgres are held to the same behaviour by the same code.
//
// A backend's test calls Run (and its benchmark Benchmark) with a NewDB that
// makes a fresh, empty database for each test and returns an Opener: every
// Store the Opener returns is a separate handle on that one database, with
// its own connections, as separate hosts would have. The concurrency tests
// race such handles against each other.
package storetest
