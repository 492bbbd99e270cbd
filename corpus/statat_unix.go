//go:build linux || darwin

package corpus

import (
	"time"

	"golang.org/x/sys/unix"
)

// statAt stats the entry name of the open folder whose descriptor is dir, following a link as
// os.Stat does; a failure leaves the visitor to stat the file itself.
func statAt(dir uintptr, name string) fileStat {
	var st unix.Stat_t
	if err := unix.Fstatat(int(dir), name, &st, 0); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileStat{}
	}
	return fileStat{size: st.Size, mod: time.Unix(st.Mtim.Unix()), ok: true}
}
