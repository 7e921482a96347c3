// Package proto holds the payhost.provider.v1 protocol (provider.proto) and
// the Go code generated from it. Only the plugin package's gRPC glue imports
// it; providers and the host see the plain Go types of package plugin.
//
// Regenerate after editing provider.proto with
//
//	go generate ./plugin/...
//
// which runs buf, protoc-gen-go and protoc-gen-go-grpc at the versions pinned
// in tools/go.mod. CI regenerates and fails on any difference.
package proto

//go:generate go tool -modfile=../../../tools/go.mod buf generate
