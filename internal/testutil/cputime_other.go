//go:build !unix

package testutil

import "time"

// CPUTime is not measured on this platform: ok is always false.
func CPUTime() (d time.Duration, ok bool) { return 0, false }
