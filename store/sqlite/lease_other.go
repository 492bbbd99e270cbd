//go:build !unix

package sqlite

import (
	"os"
	"sync"
)

// Without flock, a lease holds within the process: one holder per lock
// file path.
var inProcess = struct {
	mu   sync.Mutex
	held map[string]*os.File
}{held: map[string]*os.File{}}

func lockFile(f *os.File) (bool, error) {
	inProcess.mu.Lock()
	defer inProcess.mu.Unlock()
	if _, taken := inProcess.held[f.Name()]; taken {
		return false, nil
	}
	inProcess.held[f.Name()] = f
	return true, nil
}

func unlockFile(f *os.File) {
	inProcess.mu.Lock()
	defer inProcess.mu.Unlock()
	if inProcess.held[f.Name()] == f {
		delete(inProcess.held, f.Name())
	}
}
