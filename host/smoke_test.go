package host_test

import (
	"testing"

	"github.com/payhost/payhost/plugin"
)

func TestSmoke(t *testing.T) {
	e := newEnv(t, envConfig{})
	p := e.create(e.payment(1050, plugin.CaptureAutomatic, nil))
	wantStatus(t, p, plugin.StatusSucceeded)
	t.Logf("%+v", p)
}
