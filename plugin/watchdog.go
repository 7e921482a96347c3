package plugin

import "time"

// parentPollInterval is how often a plugin checks that its host is alive.
const parentPollInterval = 500 * time.Millisecond

// watchParent calls exit once the parent process is gone: when getppid no
// longer returns parent (the plugin was re-parented to init or a
// subreaper). The host also sets the Linux parent-death signal; this catches
// the platforms and the races that it does not. It returns after calling
// exit.
func watchParent(parent int, getppid func() int, interval time.Duration, exit func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for range t.C {
		if getppid() != parent {
			exit()
			return
		}
	}
}
