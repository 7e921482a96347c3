// Package emukit is the small toolkit that every gateway emulator under
// internal/sandbox builds on, so that the three emulators look and behave
// alike.
//
// It owns what is common to emulating any payment gateway:
//
//   - a Clock and an IDs generator that tests can make deterministic;
//   - a Recorder of received requests, with secrets and card numbers masked;
//   - Faults that tests inject on the next N calls (HTTP 500, a hang past the
//     client's timeout, malformed JSON, a dropped connection, a duplicated or
//     delayed callback);
//   - a Dispatcher that delivers signed callbacks to merchants, retries them
//     with the gateway's policy until acknowledged, and keeps a delivery log;
//   - the JSON control API under /__emulator/ and the hosted payment page.
//
// It leaves everything gateway-specific to the emulator packages: wire
// formats, signatures, validation, the order state machine and how an
// acknowledgement is recognised.
//
// The entry point is NewKit; an emulator wraps its own http.Handler with
// Kit.Handler and sends callbacks with Kit.Callbacks.Send.
package emukit
