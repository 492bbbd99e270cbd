//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// claimFiles holds one open file per claims file in this process, shared
// by the handles on it: closing any descriptor of a file drops every
// record lock the process holds on it, so each is opened once and closed
// with its last handle.
var claimFiles = struct {
	mu sync.Mutex
	m  map[string]*claimFile
}{m: map[string]*claimFile{}}

type claimFile struct {
	f    *os.File
	refs int
}

// holdClaims locks the byte of id in the claims file at path until the
// release it returns is called.
func holdClaims(path string, id int64) (release func(), err error) {
	claimFiles.mu.Lock()
	defer claimFiles.mu.Unlock()
	cf := claimFiles.m[path]
	if cf == nil {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("claims file: %w", err)
		}
		cf = &claimFile{f: f}
		claimFiles.m[path] = cf
	}
	cf.refs++
	if err := recordLock(cf.f, syscall.F_SETLK, syscall.F_WRLCK, id); err != nil {
		cf.drop(path)
		return nil, fmt.Errorf("claims file %s: %w", path, err)
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			claimFiles.mu.Lock()
			defer claimFiles.mu.Unlock()
			recordLock(cf.f, syscall.F_SETLK, syscall.F_UNLCK, id) //nolint:errcheck // closing the last descriptor unlocks too
			cf.drop(path)
		})
	}, nil
}

// drop forgets one handle of the file; the last one closes it. The caller
// holds claimFiles.mu.
func (cf *claimFile) drop(path string) {
	cf.refs--
	if cf.refs == 0 {
		cf.f.Close()
		delete(claimFiles.m, path)
	}
}

// claimsHeldElsewhere reports whether another process holds the byte of
// id in the claims file at path: the handle with that id is open there.
func claimsHeldElsewhere(path string, id int64) (bool, error) {
	claimFiles.mu.Lock()
	defer claimFiles.mu.Unlock()
	cf := claimFiles.m[path]
	if cf == nil {
		return false, fmt.Errorf("claims file %s: not open", path)
	}
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: id, Len: 1}
	for {
		err := syscall.FcntlFlock(cf.f.Fd(), syscall.F_GETLK, &lk)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("claims file %s: %w", path, err)
		}
		return lk.Type != syscall.F_UNLCK, nil
	}
}

// recordLock sets (or removes) the lock of type typ on the byte at offset
// id of f without waiting.
func recordLock(f *os.File, cmd int, typ int16, id int64) error {
	lk := syscall.Flock_t{Type: typ, Whence: 0, Start: id, Len: 1}
	for {
		err := syscall.FcntlFlock(f.Fd(), cmd, &lk)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
