package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// fileStat is the size and modification time of a file as the walk found
// them; ok is false when the walk did not look (the visitor then stats
// the file itself).
type fileStat struct {
	size int64
	mod  time.Time
	ok   bool
}

// walk calls visit for each regular file under root that the parser reads,
// in lexical order, passing over testdata directories and dot-names below
// root. Symbolic links are followed, to files and to folders; a link to a
// folder that is being read already (a loop) or was read through another
// path is passed over, and so is a link to nothing, each with a log line
// and counted as skipped. It stops when visit or the reading of root
// itself fails; unreadable folders below root are logged and counted as
// failed. A regular file in a folder comes with its size and modification
// time, found relative to the open folder (one short system call each,
// where resolving the whole path again costs several times as much).
func walk(root string, p *Parser, st *Stats, visit func(path string, fs fileStat) error) error {
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if _, ok := FormatOf(root); ok && info.Mode().IsRegular() {
			return visit(root, fileStat{size: info.Size(), mod: info.ModTime(), ok: true})
		}
		return nil
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	w := &walker{p: p, st: st, visit: visit, seen: map[string]bool{}}
	return w.dir(root, real, true, list(root))
}

// walker holds the state of one walk: seen are the real paths of the
// folders entered.
type walker struct {
	p     *Parser
	st    *Stats
	visit func(path string, fs fileStat) error
	seen  map[string]bool
}

// dir walks the folder at path, whose real path (links resolved) is real
// and whose listing is l. The folders in it are listed ahead, a few at a
// time on goroutines of their own, while the walk visits what comes
// before them, so that the visitor's work and the listing and stats of the
// next folders overlap.
func (w *walker) dir(path, real string, root bool, l listing) error {
	w.seen[real] = true
	if l.err != nil {
		if root {
			return l.err
		}
		w.p.fail(w.st, path, l.err)
		return nil
	}
	entries, stats := l.entries, l.stats
	next := newAhead(path, entries)
	for i, e := range entries {
		name := e.Name()
		full := filepath.Join(path, name)
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			if err := w.link(full, name); err != nil {
				return err
			}
			continue
		}
		if ignoredName(name, e.IsDir()) {
			continue
		}
		switch {
		case e.IsDir():
			listed := next.take(i)
			sub := filepath.Join(real, name)
			if w.seen[sub] { // read already through a link
				w.skip(full, ReasonLinkLoop)
				continue
			}
			if err := w.dir(full, sub, false, listed); err != nil {
				return err
			}
		case typ.IsRegular():
			if _, ok := FormatOf(full); ok {
				if err := w.visit(full, stats[i]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// link follows the symbolic link at path: to a file it reads, to a folder
// not read yet it walks.
func (w *walker) link(path, name string) error {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			w.skip(path, ReasonBrokenLink)
			return nil
		}
		w.p.fail(w.st, path, err)
		return nil
	}
	if ignoredName(name, info.IsDir()) {
		return nil
	}
	if !info.IsDir() {
		if _, ok := FormatOf(path); ok && info.Mode().IsRegular() {
			return w.visit(path, fileStat{size: info.Size(), mod: info.ModTime(), ok: true})
		}
		return nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		w.p.fail(w.st, path, err)
		return nil
	}
	if w.seen[real] {
		w.skip(path, ReasonLinkLoop)
		return nil
	}
	return w.dir(path, real, false, list(path))
}

// skip logs and counts a link or folder passed over.
func (w *walker) skip(path, reason string) {
	se := skip(path, reason, nil)
	w.st.Skipped++
	w.st.Skips = append(w.st.Skips, se)
	w.p.logger().Warn("corpus: skipped", "path", path, "reason", reason)
}

// listing is what list found in a folder.
type listing struct {
	entries []os.DirEntry // sorted by name
	stats   []fileStat    // of entries, see statAll
	err     error
}

// list reads the folder at path: its entries and the stats of its files.
func list(path string) listing {
	f, entries, err := readDir(path)
	if err != nil {
		return listing{err: err}
	}
	defer f.Close()
	return listing{entries: entries, stats: statAll(f, entries)}
}

// ahead lists the folders among a folder's entries ahead of the walk.
type ahead struct {
	path    string
	entries []os.DirEntry
	subs    []int                // indexes of the entries that are folders
	started map[int]chan listing // by entry index
	next    int                  // in subs: the next folder to start
	depth   int                  // folders listed ahead at most
}

func newAhead(path string, entries []os.DirEntry) *ahead {
	a := &ahead{path: path, entries: entries, started: map[int]chan listing{},
		depth: max(1, runtime.GOMAXPROCS(0))}
	for i, e := range entries {
		if e.IsDir() && e.Type()&fs.ModeSymlink == 0 && !ignoredName(e.Name(), true) {
			a.subs = append(a.subs, i)
		}
	}
	a.fill(0)
	return a
}

// fill starts listing folders until depth of them are under way or done
// and not yet taken; taken is how many were taken.
func (a *ahead) fill(taken int) {
	for a.next < len(a.subs) && a.next < taken+a.depth {
		i := a.subs[a.next]
		ch := make(chan listing, 1)
		full := filepath.Join(a.path, a.entries[i].Name())
		go func() { ch <- list(full) }()
		a.started[i] = ch
		a.next++
	}
}

// take returns the listing of the folder at entry i, waiting for it, and
// starts the next.
func (a *ahead) take(i int) listing {
	ch, ok := a.started[i]
	if !ok { // not started: folders come in order, so this is not expected
		return list(filepath.Join(a.path, a.entries[i].Name()))
	}
	delete(a.started, i)
	l := <-ch
	a.fill(a.next - len(a.started))
	return l
}

// readDir opens the folder at path and returns it with its entries sorted
// by name; the caller closes it.
func readDir(path string) (*os.File, []os.DirEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	entries, err := f.ReadDir(-1)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	slices.SortFunc(entries, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return f, entries, nil
}

// statAll stats the regular files among entries that the parser reads,
// relative to the open folder f, on up to as many goroutines as there are
// processors when the folder holds many files: on a folder where nothing
// changed, these calls are most of a scan's cost.
func statAll(f *os.File, entries []os.DirEntry) []fileStat {
	out := make([]fileStat, len(entries))
	fd := f.Fd()
	workers := max(1, min(runtime.GOMAXPROCS(0), len(entries)/256))
	chunk := (len(entries) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(entries); lo += chunk {
		wg.Go(func() {
			for i := lo; i < min(lo+chunk, len(entries)); i++ {
				e := entries[i]
				if !e.Type().IsRegular() || ignoredName(e.Name(), false) {
					continue
				}
				if _, ok := FormatOf(e.Name()); ok {
					out[i] = statAt(fd, e.Name())
				}
			}
		})
	}
	wg.Wait()
	return out
}
