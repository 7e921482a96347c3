package faultprovider

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// mainPackage is the fault plugin's main package.
const mainPackage = "github.com/payhost/payhost/internal/faultprovider/cmd/payhost-provider-fault"

var built struct {
	once sync.Once
	dir  string
	err  error
	out  []byte
}

// Build builds the fault plugin with `go build`, once per test process, and
// returns the directory holding it (as BinaryName). Tests share the
// directory and must not change it: Install a copy to change or rename.
// Call RemoveBuilds from TestMain to delete it.
func Build(t testing.TB) (binDir string) {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "payhost-faultprovider-")
		if built.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(built.dir, BinaryName), mainPackage)
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("building the fault plugin: %v\n%s", built.err, built.out)
	}
	return built.dir
}

// Install copies the fault plugin into dir as payhost-provider-<typ>, a
// provider of type typ, and returns the copy's path.
func Install(t testing.TB, dir, typ string) string {
	t.Helper()
	src, err := os.Open(filepath.Join(Build(t), BinaryName))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(dir, "payhost-provider-"+typ)
	dst, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// RemoveBuilds deletes what Build built in this process.
func RemoveBuilds() {
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
}
