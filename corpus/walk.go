package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// walk calls visit for each regular file under root that the parser reads,
// in lexical order, passing over testdata directories and dot-names below
// root. Symbolic links are followed, to files and to folders; a link to a
// folder that is being read already (a loop) or was read through another
// path is passed over, and so is a link to nothing, each with a log line
// and counted as skipped. It stops when visit or the reading of root
// itself fails; unreadable folders below root are logged and counted as
// failed.
func walk(root string, p *Parser, st *Stats, visit func(path string) error) error {
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if _, ok := FormatOf(root); ok && info.Mode().IsRegular() {
			return visit(root)
		}
		return nil
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	w := &walker{p: p, st: st, visit: visit, seen: map[string]bool{}}
	return w.dir(root, real, true)
}

// walker holds the state of one walk: seen are the real paths of the
// folders entered.
type walker struct {
	p     *Parser
	st    *Stats
	visit func(path string) error
	seen  map[string]bool
}

// dir walks the folder at path, whose real path (links resolved) is real.
func (w *walker) dir(path, real string, root bool) error {
	w.seen[real] = true
	entries, err := os.ReadDir(path)
	if err != nil {
		if root {
			return err
		}
		w.p.fail(w.st, path, err)
		return nil
	}
	for _, e := range entries {
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
			sub := filepath.Join(real, name)
			if w.seen[sub] { // read already through a link
				w.skip(full, ReasonLinkLoop)
				continue
			}
			if err := w.dir(full, sub, false); err != nil {
				return err
			}
		case typ.IsRegular():
			if _, ok := FormatOf(full); ok {
				if err := w.visit(full); err != nil {
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
			return w.visit(path)
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
	return w.dir(path, real, false)
}

// skip logs and counts a link or folder passed over.
func (w *walker) skip(path, reason string) {
	se := skip(path, reason, nil)
	w.st.Skipped++
	w.st.Skips = append(w.st.Skips, se)
	w.p.logger().Warn("corpus: skipped", "path", path, "reason", reason)
}
