package plugintest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/payhost/payhost/plugin"
)

// builds caches BuildPlugin's binaries per package for the test process.
var builds struct {
	sync.Mutex
	dir  string
	bins map[string]string
}

// BuildPlugin builds the plugin main package pkg (an import path such as
// "github.com/payhost/payhost/plugins/appotapay/cmd/payhost-provider-appotapay",
// or a directory relative to the test's package) with the go command and
// returns the binary's path. A package is built once per test process; the
// binary is named after the package's last element.
func BuildPlugin(t testing.TB, pkg string) string {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	if bin, ok := builds.bins[pkg]; ok {
		return bin
	}
	if builds.dir == "" {
		// Not t.TempDir: the binaries outlive the test that built them,
		// until the test process ends. The directory's name carries the
		// process id, so that a later process removes it (removeStale).
		removeStale(os.TempDir())
		dir, err := os.MkdirTemp("", buildDirPrefix+strconv.Itoa(os.Getpid())+"-")
		if err != nil {
			t.Fatalf("making a directory for plugin binaries: %v", err)
		}
		builds.dir, builds.bins = dir, map[string]string{}
	}
	bin := filepath.Join(builds.dir, filepath.Base(strings.TrimSuffix(pkg, "/")))
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building plugin %s: %v\n%s", pkg, err, out)
	}
	builds.bins[pkg] = bin
	return bin
}

// buildDirPrefix starts the name of BuildPlugin's directories, followed by
// the test process's id and a dash.
const buildDirPrefix = "plugintest-bin-"

// removeStale removes the BuildPlugin directories in tmp of test processes
// that have ended: nothing else would (a test process has no hook at its
// end but TestMain, which plugin authors' packages need not have).
func removeStale(tmp string) {
	dirs, _ := filepath.Glob(filepath.Join(tmp, buildDirPrefix+"*-*"))
	for _, dir := range dirs {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(dir), buildDirPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

// Launch starts the plugin binary at path as a separate process over
// go-plugin gRPC with AutoMTLS, exactly as the payhost host does, and
// returns the dispensed Provider. The plugin's log goes to the test log;
// the process is killed when the test ends. env entries (KEY=VALUE) are
// added to the plugin's environment.
func Launch(t testing.TB, path string, env ...string) plugin.Provider {
	t.Helper()
	cmd := exec.Command(path)
	cmd.Env = append(os.Environ(), env...)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: plugin.HostPluginSets(),
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		GRPCDialOptions:  plugin.HostDialOptions(),
		Logger:           testLogger(t).Named(filepath.Base(path)),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting plugin %s: %v", path, err)
	}
	raw, err := rpc.Dispense(plugin.PluginName)
	if err != nil {
		t.Fatalf("dispensing %q from %s: %v", plugin.PluginName, path, err)
	}
	p, ok := raw.(plugin.Provider)
	if !ok {
		t.Fatalf("plugin %s dispensed %T, which is not a plugin.Provider", path, raw)
	}
	return p
}
