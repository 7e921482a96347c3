package command

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/cli"
)

// Version is payhost's version, set at build time with
// -ldflags "-X github.com/payhost/payhost/internal/command.Version=...".
var Version = "0.1.0-dev"

// Meta is what every command gets: where to write and how to read the
// environment.
type Meta struct {
	Stdout io.Writer
	Stderr io.Writer
}

// Factory builds one command.
type Factory func(m Meta) cli.Command

var (
	mu       sync.Mutex
	registry = map[string]Factory{}
)

// register adds a command; commands call it from init.
func register(name string, f Factory) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[name]; dup {
		panic("command: " + name + " registered twice")
	}
	registry[name] = f
}

// Run runs the payhost CLI with args (without the program name) and returns
// the exit code.
func Run(args []string) int {
	return RunWith(args, Meta{Stdout: os.Stdout, Stderr: os.Stderr})
}

// RunWith is Run with explicit output streams, for tests.
func RunWith(args []string, m Meta) int {
	mu.Lock()
	commands := make(map[string]cli.CommandFactory, len(registry))
	for name, f := range registry {
		f := f
		commands[name] = func() (cli.Command, error) { return f(m), nil }
	}
	mu.Unlock()
	c := &cli.CLI{
		Name:        "payhost",
		Version:     Version,
		Args:        args,
		Commands:    commands,
		HelpFunc:    helpFunc,
		HelpWriter:  m.Stdout,
		ErrorWriter: m.Stderr,
	}
	code, err := c.Run()
	if err != nil {
		fmt.Fprintf(m.Stderr, "Error: %s\n", err)
		return 1
	}
	return code
}

func helpFunc(commands map[string]cli.CommandFactory) string {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Usage: payhost [-version] [-help] <command> [args]\n\n")
	b.WriteString("payhost is a declarative host for payment gateway plugins.\n\nCommands:\n")
	for _, name := range names {
		cmd, err := commands[name]()
		if err != nil {
			continue
		}
		fmt.Fprintf(&b, "    %-10s %s\n", name, cmd.Synopsis())
	}
	return b.String()
}
