package sqlite

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A lease called name on a database file is a lock on the file LeaseFile
// beside it (name.lock after the database's own name): an exclusive flock
// on systems that have one, so that among every process and every handle
// opening the file one holds it at a time, and the kernel gives it back
// when its process ends, however it ends. Elsewhere the lease holds within
// the process only. The holder writes its process id into the file, for
// the messages of the others. The lock file is never removed: removing it
// while a bot runs would let a second one take a lease of its own.

// LeaseFile returns the path of the lock file of the lease called name on
// the database at dbPath.
func LeaseFile(dbPath, name string) string {
	return dbPath + "." + strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, name) + ".lock"
}

// heldLeases are the leases a handle holds, given back when it closes.
type heldLeases struct {
	mu   sync.Mutex
	next int
	m    map[int]func()
}

func (h *heldLeases) add(release func()) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[int]func(){}
	}
	h.next++
	h.m[h.next] = release
	return h.next
}

func (h *heldLeases) remove(id int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, id)
}

// releaseAll gives back every lease still held.
func (h *heldLeases) releaseAll() {
	h.mu.Lock()
	rels := h.m
	h.m = nil
	h.mu.Unlock()
	for _, r := range rels {
		r()
	}
}

// TryLease takes the lease called name on this database file when no
// process, and no other handle, holds it. The release it returns gives it
// back (a second call does nothing); closing the handle gives back its
// leases too. Errors are those of creating or locking the lock file.
func (db *DB) TryLease(ctx context.Context, name string) (func(), bool, error) {
	if err := ctx.Err(); err != nil {
		return func() {}, false, err
	}
	path := LeaseFile(db.path, name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return func() {}, false, fmt.Errorf("sqlite: lease %s: %w", name, err)
	}
	ok, err := lockFile(f)
	if err != nil || !ok {
		f.Close()
		if err != nil {
			return func() {}, false, fmt.Errorf("sqlite: lease %s: locking %s: %w", name, path, err)
		}
		return func() {}, false, nil
	}
	// Who holds it, for the messages of the others; best effort.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0) //nolint:errcheck // informative only
	}
	var once sync.Once
	var id int
	release := func() {
		once.Do(func() {
			db.leases.remove(id)
			unlockFile(f)
			f.Close()
		})
	}
	id = db.leases.add(release)
	return release, true, nil
}

// LeaseHolder describes who holds the lease called name, as its lock file
// says: "process 1234". It returns "" when it cannot tell.
func (db *DB) LeaseHolder(_ context.Context, name string) string {
	data, err := os.ReadFile(LeaseFile(db.path, name))
	if err != nil {
		return ""
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return ""
	}
	return fmt.Sprintf("process %d (lock file %s)", pid, LeaseFile(db.path, name))
}
