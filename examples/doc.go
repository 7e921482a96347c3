// Package examples holds payhost's examples, and the tests that keep them
// working through the real binaries:
//
//   - routing/: an annotated configuration routing payments over the
//     three shipped providers by currency and method, with a weighted split
//     and a fallback list, against `payhost sandbox`;
//   - custom-provider/: tinypay, a provider in its own Go module written
//     against the plugin SDK alone, with its own emulator.
//
// The package has no code of its own. Its tests build payhost and the
// plugins with the go command, once per test process, and run the
// examples as a user would: payhost providers, init, validate, route and
// serve.
package examples
