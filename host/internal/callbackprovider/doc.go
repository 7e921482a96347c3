// Package callbackprovider is a provider plugin for the host's tests only:
// the fault gateway of internal/faultprovider (every payment operation and
// fault), plus what that one lacks, gateway callbacks and card tokens. It
// is never shipped.
//
// Faults: as the fault gateway's, and Metadata["fault@<type.name>"]
// selects CreatePayment's fault for that instance only (a route's first
// candidate fails, the next does not).
//
// Callbacks: a callback's body is a Callback (JSON) holding the events to
// report, and its SignatureHeader must be Sign(api_key, body); otherwise
// HandleCallback fails with kind authentication. The answer to the gateway
// is 200 with the body "OK".
//
// Hosted pages: a payment created requires_action gets a redirect next
// action, expiring at Metadata[ActionExpiresKey] when set; GetPayment
// answers Metadata[LaterStatusKey] when set (what became of it).
//
// Capabilities: the attribute without lists operations the configured
// instance does not do; Configure narrows its capabilities by them.
//
// Tokens: Tokenize with card data answers an active token "ctok_<token
// id>"; without card data a requires_action token whose next action is a
// redirect, settled by a token callback. GetToken and DeleteToken answer
// from the plugin's memory.
//
// The binary is built by plugintest.BuildPlugin from MainPackage.
package callbackprovider
