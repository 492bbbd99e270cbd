package corpus

import (
	"context"
	"sync"
	"time"
)

// SeenStore remembers the files a DirSource has read, across restarts.
// Implementations must keep modTime to at least microsecond precision.
type SeenStore interface {
	// FileSeen returns the size and modification time recorded for path;
	// ok is false when nothing is recorded.
	FileSeen(ctx context.Context, path string) (size int64, modTime time.Time, ok bool, err error)
	// MarkFile records a file as read in this state: docID is its (first)
	// document, or skipped says why it was not read (a Reason constant).
	MarkFile(ctx context.Context, path string, size int64, modTime time.Time, docID, skipped string) error
}

// MemorySeen is a SeenStore held in memory, for one-off scans and tests.
// The zero value is ready to use and safe for concurrent use.
type MemorySeen struct {
	mu    sync.Mutex
	files map[string]SeenFile
}

// SeenFile is what MemorySeen records of a file.
type SeenFile struct {
	Size    int64
	ModTime time.Time
	DocID   string
	Skipped string
}

var _ SeenStore = (*MemorySeen)(nil)

// FileSeen implements SeenStore.
func (m *MemorySeen) FileSeen(_ context.Context, path string) (int64, time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[path]
	return f.Size, f.ModTime, ok, nil
}

// MarkFile implements SeenStore.
func (m *MemorySeen) MarkFile(_ context.Context, path string, size int64, modTime time.Time, docID, skipped string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = make(map[string]SeenFile)
	}
	m.files[path] = SeenFile{Size: size, ModTime: modTime, DocID: docID, Skipped: skipped}
	return nil
}

// File returns what is recorded for path.
func (m *MemorySeen) File(path string) (SeenFile, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[path]
	return f, ok
}
