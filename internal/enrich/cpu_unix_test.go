//go:build unix

package enrich

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time: DuckDB's threads included, and steadier than
// wall time on a machine shared with other jobs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
