//go:build linux

package bench

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// usageSource says where CPU and memory figures come from, for the report.
const usageSource = "getrusage(RUSAGE_SELF) for this process; /proc/<pid>/stat and /proc/<pid>/statm for plugins and RSS"

// selfCPU returns this process's CPU time, from getrusage(RUSAGE_SELF).
func selfCPU() (cpuTimes, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuTimes{}, false
	}
	return cpuTimes{
		User: time.Duration(ru.Utime.Nano()),
		Sys:  time.Duration(ru.Stime.Nano()),
	}, true
}

// procCPU returns process pid's CPU time, from /proc/<pid>/stat (utime
// and stime, in clock ticks).
func procCPU(pid int) (cpuTimes, bool) {
	fields, ok := statFields(pid)
	if !ok || len(fields) < 13 {
		return cpuTimes{}, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return cpuTimes{}, false
	}
	tick := time.Second / time.Duration(clockTicks())
	return cpuTimes{User: time.Duration(utime) * tick, Sys: time.Duration(stime) * tick}, true
}

// statFields returns the fields of /proc/<pid>/stat after the command
// name: fields[0] is the state (field 3 of proc(5)), fields[1] the parent
// pid, fields[11] utime, fields[12] stime.
func statFields(pid int) ([]string, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return nil, false
	}
	// The command name is in parentheses and may hold spaces or
	// parentheses itself: the fields start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, false
	}
	return strings.Fields(string(b[i+1:])), true
}

// rssBytes returns the resident set size of process pid (0: this
// process), from /proc/<pid>/statm.
func rssBytes(pid int) (int64, bool) {
	name := "self"
	if pid != 0 {
		name = strconv.Itoa(pid)
	}
	b, err := os.ReadFile(filepath.Join("/proc", name, "statm"))
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// childProcesses returns the running children of this process whose
// program's file name starts with prefix.
func childProcesses(prefix string) []Process {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := strconv.Itoa(os.Getpid())
	var out []Process
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		fields, ok := statFields(pid)
		if !ok || len(fields) < 2 || fields[1] != self {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		argv0, _, _ := bytes.Cut(cmdline, []byte{0})
		if name := filepath.Base(string(argv0)); strings.HasPrefix(name, prefix) {
			out = append(out, Process{PID: pid, Name: name})
		}
	}
	return out
}

// LoadAverage returns the 1, 5 and 15-minute load averages, from
// /proc/loadavg.
func LoadAverage() ([]float64, bool) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return nil, false
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return nil, false
	}
	out := make([]float64, 3)
	for i := range out {
		if out[i], err = strconv.ParseFloat(f[i], 64); err != nil {
			return nil, false
		}
	}
	return out, true
}

// atClkTck is the auxiliary vector's entry for the clock tick rate.
const atClkTck = 17

// clockTicks returns the kernel's clock ticks per second (sysconf
// _SC_CLK_TCK), read from the auxiliary vector; 100 when it cannot be.
var clockTicks = sync.OnceValue(func() int64 {
	b, err := os.ReadFile("/proc/self/auxv")
	if err != nil {
		return 100
	}
	word := strconv.IntSize / 8
	for i := 0; i+2*word <= len(b); i += 2 * word {
		var key, val uint64
		if word == 8 {
			key, val = binary.NativeEndian.Uint64(b[i:]), binary.NativeEndian.Uint64(b[i+word:])
		} else {
			key, val = uint64(binary.NativeEndian.Uint32(b[i:])), uint64(binary.NativeEndian.Uint32(b[i+word:]))
		}
		if key == atClkTck && val > 0 {
			return int64(val)
		}
	}
	return 100
})
