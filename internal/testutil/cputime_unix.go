//go:build unix

package testutil

import (
	"syscall"
	"time"
)

// CPUTime returns the user and system CPU time the process has used, so
// benchmarks can report CPU per operation next to wall time: on a shared,
// busy machine other load distorts wall time but not CPU time. ok is false
// where it cannot be measured.
func CPUTime() (d time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
