// Package testutil holds the small helpers that tests across payhost's
// packages share. Only tests import it. (The plugin SDK keeps its own, as
// it imports nothing of payhost's.)
package testutil
