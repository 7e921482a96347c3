// Package api holds the shapes of payhost's merchant API: the Service
// interface (every operation, in Go), its requests and responses, and its
// errors with their HTTP statuses. The host (package host) implements
// Service; the HTTP API (internal/httpapi) serialises these types as they
// are, so a payment looks the same over HTTP and in Go. It imports nothing
// of payhost but the plugin SDK's uniform types, so a merchant's Go client
// can use it too.
package api
