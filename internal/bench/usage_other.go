//go:build !linux

package bench

// usageSource says where CPU and memory figures come from, for the report.
const usageSource = "not measured: CPU and RSS are read from getrusage and /proc on Linux only"

func selfCPU() (cpuTimes, bool)       { return cpuTimes{}, false }
func procCPU(int) (cpuTimes, bool)    { return cpuTimes{}, false }
func rssBytes(int) (int64, bool)      { return 0, false }
func childProcesses(string) []Process { return nil }

// LoadAverage is not available off Linux.
func LoadAverage() ([]float64, bool) { return nil, false }
