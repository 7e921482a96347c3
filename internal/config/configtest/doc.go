// Package configtest holds what the tests of config, routing and the CLI
// share: fixed provider infos (Schemas) for three provider types shaped
// like the shipped gateways, with sensitive attributes, defaults and
// distinct capabilities, so that tests need no plugin binaries; the
// environment the fixtures read (Env, LookupEnv, Loader); and the
// generated configuration of the benchmarks (Generate).
package configtest
