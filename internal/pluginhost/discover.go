package pluginhost

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// BinaryPrefix starts the file name of every provider plugin: the plugin of
// type "appotapay" is the executable "payhost-provider-appotapay".
const BinaryPrefix = "payhost-provider-"

// PathEnv is the environment variable holding extra plugin directories,
// separated by the system's path-list separator (':' on Unix).
const PathEnv = "PAYHOST_PLUGIN_PATH"

// Plugin is a provider plugin binary found on disk.
type Plugin struct {
	// Type is the provider type, the binary's name without BinaryPrefix.
	Type string
	// Path is the binary's absolute path.
	Path string
	// Checksum, when set, is the SHA-256 the binary must have: launching a
	// binary with any other checksum is refused. LockFile.Pin sets it.
	Checksum []byte
}

// BinaryName returns the file name of the plugin of type typ.
func BinaryName(typ string) string { return BinaryPrefix + typ }

// SearchDirs returns the directories searched for plugins, in order: the
// configured plugin directory (when not empty), each directory of
// $PAYHOST_PLUGIN_PATH, then the directory of the running executable.
// Relative directories are made absolute; duplicates are dropped.
func SearchDirs(pluginDir string) []string {
	var dirs []string
	if pluginDir != "" {
		dirs = append(dirs, pluginDir)
	}
	dirs = append(dirs, filepath.SplitList(os.Getenv(PathEnv))...)
	if exe, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		dirs = append(dirs, filepath.Dir(exe))
	}
	seen := make(map[string]bool, len(dirs))
	out := dirs[:0]
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if abs, err := filepath.Abs(d); err == nil {
			d = abs
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

// NotFoundError reports a plugin type found in none of the search
// directories.
type NotFoundError struct {
	Type string
	Dirs []string
}

// Error names the binary and every directory searched.
func (e *NotFoundError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin %q not found: no executable file named %s in any of:", e.Type, BinaryName(e.Type))
	for _, d := range e.Dirs {
		b.WriteString("\n  - " + d)
	}
	fmt.Fprintf(&b, "\nPut the plugin in plugin_dir, or add its directory to $%s.", PathEnv)
	return b.String()
}

// Find returns the plugin of type typ from the first directory of dirs
// holding an executable regular file named BinaryName(typ).
func Find(typ string, dirs []string) (Plugin, error) {
	if typ == "" || strings.ContainsAny(typ, `/\`) {
		return Plugin{}, fmt.Errorf("plugin type %q is not a valid name", typ)
	}
	for _, d := range dirs {
		path := filepath.Join(d, BinaryName(typ))
		if isExecutableFile(path) {
			return Plugin{Type: typ, Path: path}, nil
		}
	}
	return Plugin{}, &NotFoundError{Type: typ, Dirs: dirs}
}

// FindAll returns every plugin in dirs, sorted by type. When several
// directories hold the same type, the first directory wins, as in Find.
// Directories that do not exist are skipped.
func FindAll(dirs []string) ([]Plugin, error) {
	found := map[string]Plugin{}
	for _, d := range dirs {
		entries, err := os.ReadDir(d)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, fmt.Errorf("cannot list plugin directory: %w", err)
		}
		for _, e := range entries {
			typ, ok := strings.CutPrefix(e.Name(), BinaryPrefix)
			if !ok || typ == "" {
				continue
			}
			path := filepath.Join(d, e.Name())
			if _, dup := found[typ]; !dup && isExecutableFile(path) {
				found[typ] = Plugin{Type: typ, Path: path}
			}
		}
	}
	plugins := make([]Plugin, 0, len(found))
	for _, p := range found {
		plugins = append(plugins, p)
	}
	sort.Slice(plugins, func(i, j int) bool { return plugins[i].Type < plugins[j].Type })
	return plugins, nil
}

// isExecutableFile reports whether path is, after following symlinks, a
// regular file with an execute permission bit set.
func isExecutableFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
