//go:build unix

package dedup

import (
	"syscall"
	"time"
)

// cpuTime returns the user and system CPU time the process has used, so
// benchmarks can report CPU per operation next to wall time on a shared,
// busy machine.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
